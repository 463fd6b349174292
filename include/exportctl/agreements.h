/*
 * Bilateral agreements that renew themselves (the Japan-Korea GSOMIA).
 *
 * An agreement enters into force on a day, runs for a term of whole years
 * and renews itself at every anniversary unless a party gives written notice
 * a fixed number of days before.  Notices can later be suspended.  Read from
 * data/regimes/agreements/{agreements,events}.csv.
 */
#ifndef EXPORTCTL_AGREEMENTS_H
#define EXPORTCTL_AGREEMENTS_H

#include <stddef.h>

#include <exportctl/date.h>
#include <exportctl/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ectl_agreements;

enum ectl_agreement_state {
    ECTL_AGREEMENT_NOT_YET_IN_FORCE,
    ECTL_AGREEMENT_IN_FORCE,
    ECTL_AGREEMENT_TERMINATED,
};
/* "not_yet_in_force", "in_force", "terminated". */
const char *ectl_agreement_state_name(enum ectl_agreement_state s);

struct ectl_agreement_status {
    const char *id;
    const char *name;
    const char *parties;  /* e.g. "JP;KR" */
    enum ectl_agreement_state status;
    ectl_date in_force;
    ectl_date pending_termination; /* ECTL_DATE_MIN when none is pending */
    ectl_date next_renewal;        /* ECTL_DATE_MIN unless in force */
    ectl_date notice_deadline;     /* last day a notice stops that renewal */
    const char *last_event;        /* text of the latest event on or before the date, or NULL */
    ectl_date last_event_date;
    const char *source;
};

int ectl_agreements_load(const char *dir, struct ectl_agreements **out, struct ectl_error *err)
    __attribute__((warn_unused_result));
void ectl_agreements_free(struct ectl_agreements *a);

size_t ectl_agreements_count(const struct ectl_agreements *a);

/* Status of agreement i on date.  Strings borrowed from a. */
int ectl_agreement_status(const struct ectl_agreements *a, size_t i, ectl_date date,
                          struct ectl_agreement_status *out, struct ectl_error *err);

#ifdef __cplusplus
}
#endif
#endif
