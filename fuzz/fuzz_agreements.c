/*
 * Fuzz the agreements loader.  Input: byte 0 modulo 3 picks one of the
 * three files of data/regimes/agreements, the rest replaces its content.
 * Loaded agreements are asked for their status on the days that matter
 * (entry into force, every renewal and deadline the answer names) and on
 * the extremes, where date arithmetic overflows if anywhere.
 */
#include "fuzz_util.h"

static const char *const files[] = {"sources.csv", "agreements.csv", "events.csv"};
static struct fuzz_dir dir;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_dir_stage(&dir, ECTL_FUZZ_DATA "/regimes/agreements", files, 3);
    return 0;
}

static void status_on(const struct ectl_agreements *a, size_t i, ectl_date date, int follow)
{
    struct ectl_agreement_status s;
    struct ectl_error err;
    if (ectl_agreement_status(a, i, date, &s, &err))
        return;
    fuzz_touch(s.id);
    fuzz_touch(s.name);
    fuzz_touch(s.parties);
    fuzz_touch(s.last_event);
    fuzz_touch(s.source);
    fuzz_touch(ectl_agreement_state_name(s.status));
    if (follow-- <= 0)
        return;
    const ectl_date next[] = {s.in_force, s.pending_termination, s.next_renewal, s.notice_deadline,
                              s.last_event_date};
    for (size_t k = 0; k < sizeof next / sizeof *next; k++)
        if (next[k] != ECTL_DATE_MIN) {
            status_on(a, i, next[k] - 1, follow);
            status_on(a, i, next[k], follow);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t which = data[0] % 3;
    fuzz_dir_put(&dir, which, data + 1, size - 1);
    struct ectl_agreements *a;
    struct ectl_error err;
    if (ectl_agreements_load(dir.path, &a, &err) == 0) {
        const ectl_date dates[] = {ECTL_DATE_MIN + 1, ectl_date_from_ymd(1900, 1, 1),
                                   ectl_date_from_ymd(2019, 11, 22),
                                   ectl_date_from_ymd(2999, 12, 31)};
        /* One index past the end takes the error path. */
        for (size_t i = 0; i <= ectl_agreements_count(a); i++)
            for (size_t k = 0; k < sizeof dates / sizeof *dates; k++)
                status_on(a, i, dates[k], 2);
        ectl_agreements_free(a);
    }
    fuzz_dir_restore(&dir, which);
    return 0;
}
