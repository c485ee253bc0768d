// The TestSupport module; see ARCHITECTURE.md.
