/* State shared by the files of the regime loader (internal). */
#ifndef ECTL_RULES_LOADER_H
#define ECTL_RULES_LOADER_H

#include <stdint.h>

#include "load_util.h"
#include "regime_int.h"

struct loader {
    struct ectl_regime *r;
    const char *dir;
    struct source_table src;
    uint64_t hash;    /* FNV-1a over every file read, for data_version */
    ectl_date latest; /* latest finite date seen */
    size_t sets_cap;
};

static inline void ectl__note_date(struct loader *L, ectl_date d)
{
    if (d != ECTL_DATE_MIN && d != ECTL_DATE_MAX && d > L->latest)
        L->latest = d;
}

#define ECTL_GROW(arr, n, cap)                                                 \
    ((n) < (cap) ? 0 : ectl__grow((void **)&(arr), &(cap), sizeof *(arr)))

int ectl__oom(struct ectl_error *err);
int ectl__grow(void **arr, size_t *cap, size_t elem);
int ectl__load_items(struct loader *L, struct ectl_error *err);
int ectl__load_rules(struct loader *L, struct ectl_error *err);

#endif
