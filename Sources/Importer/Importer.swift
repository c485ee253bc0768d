// The Importer module; see ARCHITECTURE.md.
