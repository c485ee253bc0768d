// The JSONRPC module; see ARCHITECTURE.md.
