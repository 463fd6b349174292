/*
 * Built instead of store_pg.c when libpq was not found at configure time:
 * a "postgresql://" database is then refused with a message that says why,
 * rather than being taken for a file name.
 */
#include "store_int.h"

int ectl__store_pg_open(const char *where, unsigned flags, struct ectl_store **out,
                        struct ectl_error *err)
{
    (void)where;
    (void)flags;
    *out = NULL;
    return ectl_error_set(err, ECTL_ESTORE,
                          "this exportctl was built without PostgreSQL support (libpq was not "
                          "found when it was configured)");
}
