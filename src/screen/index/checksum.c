/*
 * XXH64, the checksum of the index file.  It runs at several GB/s, so that
 * checking a whole index at open stays well inside the open-time budget,
 * and it catches the corruption a checksum is for (a torn write, a bad
 * copy, a flipped bit).  It is not a defence against a crafted file: the
 * structural checks in open.c are.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "format.h"

_Static_assert(sizeof(struct ectl_ix_header) == ECTL_IX_HEADER_SIZE, "header is 128 bytes");
_Static_assert(offsetof(struct ectl_ix_header, checksum) == 24, "checksum at 24");

#define P1 11400714785074694791ULL
#define P2 14029467366897019727ULL
#define P3 1609587929392839161ULL
#define P4 9650029242287828579ULL
#define P5 2870177450012600261ULL

static inline uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t rd32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t round1(uint64_t acc, uint64_t in)
{
    acc += in * P2;
    acc = rotl(acc, 31);
    return acc * P1;
}

static inline uint64_t merge(uint64_t acc, uint64_t v)
{
    acc ^= round1(0, v);
    return acc * P1 + P4;
}

uint64_t ectl_ix_xxh64(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data, *end = p + len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        const unsigned char *limit = end - 32;
        do {
            v1 = round1(v1, rd64(p));
            v2 = round1(v2, rd64(p + 8));
            v3 = round1(v3, rd64(p + 16));
            v4 = round1(v4, rd64(p + 24));
            p += 32;
        } while (p <= limit);
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = merge(h, v1);
        h = merge(h, v2);
        h = merge(h, v3);
        h = merge(h, v4);
    } else {
        h = seed + P5;
    }
    h += (uint64_t)len;
    while (p + 8 <= end) {
        h ^= round1(0, rd64(p));
        h = rotl(h, 27) * P1 + P4;
        p += 8;
    }
    if (p + 4 <= end) {
        h ^= (uint64_t)rd32(p) * P1;
        h = rotl(h, 23) * P2 + P3;
        p += 4;
    }
    while (p < end) {
        h ^= (*p) * P5;
        h = rotl(h, 11) * P1;
        p++;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

uint64_t ectl_ix_checksum(const void *data, size_t len)
{
    unsigned char head[ECTL_IX_HEADER_SIZE];
    memcpy(head, data, sizeof head);
    memset(head + offsetof(struct ectl_ix_header, checksum), 0, 8);
    uint64_t seed = ectl_ix_xxh64(head, sizeof head, 0);
    return ectl_ix_xxh64((const unsigned char *)data + sizeof head, len - sizeof head, seed);
}
