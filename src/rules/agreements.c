/*
 * Self-renewing agreements (GSOMIA): status on a date from the entry into
 * force, the term, the notice period and the dated events (notice given,
 * notice suspended, termination).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <exportctl/agreements.h>

#include "../core/arena.h"
#include "load_util.h"

enum event_kind { EV_NOTICE, EV_SUSPENDED, EV_TERMINATED, EV_NOTE };

struct event {
    ectl_date date, effective;
    enum event_kind kind;
    const char *text;
    const char *source;
};

struct agreement {
    const char *id, *name, *parties, *source;
    ectl_date in_force;
    int term_years;
    int notice_days;
    size_t n_events;
    struct event *events; /* sorted by date */
};

struct ectl_agreements {
    struct ectl_arena arena;
    size_t n;
    struct agreement *v;
};

const char *ectl_agreement_state_name(enum ectl_agreement_state s)
{
    switch (s) {
    case ECTL_AGREEMENT_NOT_YET_IN_FORCE:
        return "not_yet_in_force";
    case ECTL_AGREEMENT_IN_FORCE:
        return "in_force";
    case ECTL_AGREEMENT_TERMINATED:
        return "terminated";
    }
    return "?";
}

static ectl_date add_years(ectl_date d, int years)
{
    int y, m, day;
    ectl_date_to_ymd(d, &y, &m, &day);
    y += years;
    if (m == 2 && day == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        day = 28;
    return ectl_date_from_ymd(y, m, day);
}

/* First anniversary (a whole number of terms after entry into force)
 * strictly after date. */
static ectl_date next_anniversary(const struct agreement *a, ectl_date date)
{
    int y0, m0, d0, y, m, d;
    ectl_date_to_ymd(a->in_force, &y0, &m0, &d0);
    ectl_date_to_ymd(date, &y, &m, &d);
    int k = (y - y0) / a->term_years;
    if (k < 1)
        k = 1;
    ectl_date next = add_years(a->in_force, k * a->term_years);
    while (next <= date)
        next = add_years(a->in_force, ++k * a->term_years);
    while (k > 1 && add_years(a->in_force, (k - 1) * a->term_years) > date)
        next = add_years(a->in_force, --k * a->term_years);
    return next;
}

void ectl_agreements_free(struct ectl_agreements *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i].events);
    free(a->v);
    ectl_arena_release(&a->arena);
    free(a);
}

static int parse_int(struct table *t, size_t col, int lo, int hi, int *out,
                     struct ectl_error *err)
{
    char *end;
    long v = strtol(t->csv.fields[col], &end, 10);
    if (!*t->csv.fields[col] || *end || v < lo || v > hi)
        return table_fail(t, col, err, "'%s' is not an integer from %d to %d",
                          t->csv.fields[col], lo, hi);
    *out = (int)v;
    return 0;
}

static int load_agreements(const char *dir, struct ectl_agreements *a,
                           const struct source_table *st, struct ectl_error *err)
{
    static const char *const cols[] = {"id",         "name",        "parties", "in_force",
                                       "term_years", "notice_days", "source"};
    struct table t;
    int rc = table_open(&t, dir, "agreements.csv", cols, 7, NULL, err);
    if (rc)
        return rc;
    while ((rc = table_next(&t, err)) > 0) {
        struct agreement *v = realloc(a->v, (a->n + 1) * sizeof *v);
        if (!v) {
            rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
            break;
        }
        a->v = v;
        struct agreement *g = &a->v[a->n++];
        memset(g, 0, sizeof *g);
        const char *const *f = t.csv.fields;
        if ((rc = field_date(&t, 3, ECTL_DATE_MIN, &g->in_force, err)))
            break;
        if (g->in_force == ECTL_DATE_MIN) {
            rc = table_fail(&t, 3, err, "the date of entry into force is required");
            break;
        }
        if ((rc = parse_int(&t, 4, 1, 50, &g->term_years, err)) ||
            (rc = parse_int(&t, 5, 1, 3650, &g->notice_days, err)) ||
            (rc = field_sources(&t, 6, st, &a->arena, &g->source, err)))
            break;
        if (!(g->id = ectl_arena_strdup(&a->arena, f[0])) ||
            !(g->name = ectl_arena_strdup(&a->arena, f[1])) ||
            !(g->parties = ectl_arena_strdup(&a->arena, f[2]))) {
            rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
            break;
        }
    }
    table_close(&t);
    return rc < 0 ? rc : 0;
}

static int cmp_event(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;
    return a->date < b->date ? -1 : a->date > b->date;
}

static int load_events(const char *dir, struct ectl_agreements *a, const struct source_table *st,
                       struct ectl_error *err)
{
    static const char *const cols[] = {"agreement", "date", "event", "effective", "text",
                                       "source"};
    struct table t;
    int rc = table_open(&t, dir, "events.csv", cols, 6, NULL, err);
    if (rc)
        return rc;
    while ((rc = table_next(&t, err)) > 0) {
        const char *const *f = t.csv.fields;
        struct agreement *g = NULL;
        for (size_t i = 0; i < a->n && !g; i++)
            if (!strcmp(a->v[i].id, f[0]))
                g = &a->v[i];
        if (!g) {
            rc = table_fail(&t, 0, err, "unknown agreement '%s'", f[0]);
            break;
        }
        struct event ev = {0};
        if (!strcmp(f[2], "notice"))
            ev.kind = EV_NOTICE;
        else if (!strcmp(f[2], "notice_suspended"))
            ev.kind = EV_SUSPENDED;
        else if (!strcmp(f[2], "terminated"))
            ev.kind = EV_TERMINATED;
        else if (!strcmp(f[2], "note"))
            ev.kind = EV_NOTE;
        else {
            rc = table_fail(&t, 2, err,
                            "'%s' is not notice, notice_suspended, terminated or note", f[2]);
            break;
        }
        if ((rc = field_date(&t, 1, ECTL_DATE_MIN, &ev.date, err)) ||
            (rc = field_date(&t, 3, ECTL_DATE_MIN, &ev.effective, err)))
            break;
        if (ev.date == ECTL_DATE_MIN) {
            rc = table_fail(&t, 1, err, "the event date is required");
            break;
        }
        if (ev.kind == EV_NOTICE) {
            /* A notice must name the anniversary it stops and be given in
             * time for it; anything else is a transcription error. */
            ectl_date due = next_anniversary(g, ev.date);
            if (ev.effective != due) {
                rc = table_fail(&t, 3, err, "a notice given then takes effect at the next "
                                            "anniversary, not on this date");
                break;
            }
            if (ev.date > due - g->notice_days) {
                rc = table_fail(&t, 1, err, "notice given less than %d days before %s",
                                g->notice_days, f[3]);
                break;
            }
        }
        if ((rc = field_sources(&t, 5, st, &a->arena, &ev.source, err)))
            break;
        if (!(ev.text = ectl_arena_strdup(&a->arena, f[4]))) {
            rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
            break;
        }
        struct event *v = realloc(g->events, (g->n_events + 1) * sizeof *v);
        if (!v) {
            rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
            break;
        }
        g->events = v;
        g->events[g->n_events++] = ev;
    }
    table_close(&t);
    for (size_t i = 0; rc >= 0 && i < a->n; i++)
        if (a->v[i].n_events)
            qsort(a->v[i].events, a->v[i].n_events, sizeof(struct event), cmp_event);
    return rc < 0 ? rc : 0;
}

int ectl_agreements_load(const char *dir, struct ectl_agreements **out, struct ectl_error *err)
{
    struct ectl_error local;
    if (!err)
        err = &local;
    ectl_error_clear(err);
    *out = NULL;
    struct ectl_agreements *a = calloc(1, sizeof *a);
    if (!a)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    struct source_table st = {0, NULL};
    int rc;
    if ((rc = ectl__load_sources(dir, &a->arena, &st, NULL, err)) || (rc = load_agreements(dir, a, &st, err)) ||
        (rc = load_events(dir, a, &st, err))) {
        free(st.rows);
        ectl_agreements_free(a);
        return rc;
    }
    free(st.rows);
    *out = a;
    return 0;
}

size_t ectl_agreements_count(const struct ectl_agreements *a)
{
    return a->n;
}

int ectl_agreement_status(const struct ectl_agreements *a, size_t i, ectl_date date,
                          struct ectl_agreement_status *out, struct ectl_error *err)
{
    if (i >= a->n)
        return ectl_error_set(err, ECTL_EINVAL, "no agreement %zu", i);
    const struct agreement *g = &a->v[i];
    memset(out, 0, sizeof *out);
    out->id = g->id;
    out->name = g->name;
    out->parties = g->parties;
    out->source = g->source;
    out->in_force = g->in_force;
    out->pending_termination = out->next_renewal = out->notice_deadline = ECTL_DATE_MIN;
    out->last_event_date = ECTL_DATE_MIN;
    if (date < g->in_force) {
        out->status = ECTL_AGREEMENT_NOT_YET_IN_FORCE;
        return 0;
    }
    ectl_date pending = ECTL_DATE_MIN;
    bool terminated = false;
    for (size_t e = 0; e < g->n_events && g->events[e].date <= date; e++) {
        const struct event *ev = &g->events[e];
        out->last_event = ev->text;
        out->last_event_date = ev->date;
        out->source = ev->source;
        if (ev->kind == EV_NOTICE)
            pending = ev->effective;
        else if (ev->kind == EV_SUSPENDED)
            pending = ECTL_DATE_MIN;
        else if (ev->kind == EV_TERMINATED)
            terminated = true;
    }
    if (terminated || (pending != ECTL_DATE_MIN && date >= pending)) {
        out->status = ECTL_AGREEMENT_TERMINATED;
        return 0;
    }
    out->status = ECTL_AGREEMENT_IN_FORCE;
    if (pending != ECTL_DATE_MIN) {
        out->pending_termination = pending;
        return 0;
    }
    out->next_renewal = next_anniversary(g, date);
    out->notice_deadline = out->next_renewal - g->notice_days;
    return 0;
}
