// The ImportServer module; see ARCHITECTURE.md.
