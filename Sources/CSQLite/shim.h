#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call: these wrappers expose the options the
// Workspace sets before SQLite initializes.
static inline int csqlite_config_memstatus(int enabled) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, enabled);
}
