/*
 * Impact of a rule change on an order book: evaluate every order on two
 * dates and report those whose answer differs.  One streaming pass over a
 * mapped file; an invalid row stops the run with its line and column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <exportctl/impact.h>

#include "../core/csv.h"
#include "../core/file.h"

enum { COL_ID, COL_ITEM, COL_DEST, COL_CONCERN, N_KNOWN };

static int find_columns(struct ectl_csv *csv, int idx[N_KNOWN], struct ectl_error *err)
{
    static const char *const names[N_KNOWN] = {"order_id", "item", "destination",
                                               "end_use_concern"};
    for (int k = 0; k < N_KNOWN; k++) {
        idx[k] = -1;
        for (size_t i = 0; i < csv->n_fields; i++) {
            if (strcmp(csv->fields[i], names[k]) == 0) {
                if (idx[k] >= 0)
                    return ectl_error_set(err, ECTL_EPARSE, "%s:%llu: column '%s' appears twice",
                                          csv->name, (unsigned long long)csv->row_line,
                                          names[k]);
                idx[k] = (int)i;
            }
        }
        if (idx[k] < 0 && k != COL_CONCERN)
            return ectl_error_set(err, ECTL_EPARSE,
                                  "%s:%llu: the header row must name order_id, item and "
                                  "destination (missing '%s')",
                                  csv->name, (unsigned long long)csv->row_line, names[k]);
    }
    return 0;
}

static int row_fail(struct ectl_csv *csv, int col, const char *colname, struct ectl_error *err)
{
    char msg[ECTL_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s:%llu: column %d (%s): %s", csv->name,
             (unsigned long long)csv->row_line, col + 1, colname, err->msg);
    memcpy(err->msg, msg, sizeof msg);
    return err->code;
}

int ectl_impact_buffer(const struct ectl_regime *r, const char *data, size_t len,
                       const char *name, const struct ectl_impact_opts *opts,
                       struct ectl_impact_stats *stats, struct ectl_error *err)
{
    struct ectl_error local;
    if (!err)
        err = &local;
    ectl_error_clear(err);
    struct ectl_impact_stats st = {0, 0};
    if (!opts || !opts->on_change)
        return ectl_error_set(err, ECTL_EINVAL, "impact needs a change callback");
    struct ectl_csv csv;
    ectl_csv_init(&csv, data, len, name, 0);
    char **names = NULL;
    size_t ncols = 0;
    int idx[N_KNOWN];
    struct ectl_determination before, after;
    int rc = ectl_csv_next(&csv, err);
    if (rc == 0)
        rc = ectl_error_set(err, ECTL_EPARSE, "%s: empty order book, expected a header row", name);
    if (rc < 0 || (rc = find_columns(&csv, idx, err)))
        goto out;
    ncols = csv.n_fields;
    names = calloc(ncols, sizeof *names);
    if (!names) {
        rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ncols; i++)
        if (!(names[i] = strdup(csv.fields[i]))) {
            rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
            goto out;
        }
    while ((rc = ectl_csv_next(&csv, err)) > 0) {
        if (csv.n_fields == 1 && csv.fields[0][0] == '\0')
            continue; /* a blank line */
        if (csv.n_fields != ncols) {
            rc = ectl_error_set(err, ECTL_EPARSE, "%s:%llu: %zu fields, the header has %zu",
                                name, (unsigned long long)csv.row_line, csv.n_fields, ncols);
            goto out;
        }
        struct ectl_order o = {csv.row_line, csv.fields[idx[COL_ID]], csv.fields[idx[COL_ITEM]],
                               csv.fields[idx[COL_DEST]], false, ncols,
                               (const char *const *)names, csv.fields};
        if (!*o.order_id) {
            rc = ectl_error_set(err, ECTL_EPARSE, "empty order_id");
            rc = row_fail(&csv, idx[COL_ID], "order_id", err);
            goto out;
        }
        if (idx[COL_CONCERN] >= 0) {
            const char *v = csv.fields[idx[COL_CONCERN]];
            if (!strcmp(v, "1"))
                o.end_use_concern = true;
            else if (*v && strcmp(v, "0")) {
                ectl_error_set(err, ECTL_EPARSE, "'%.16s' is not 0 or 1", v);
                rc = row_fail(&csv, idx[COL_CONCERN], "end_use_concern", err);
                goto out;
            }
        }
        if ((rc = ectl_determine(r, o.item, o.destination, opts->from, o.end_use_concern,
                                 &before, err)) ||
            (rc = ectl_determine(r, o.item, o.destination, opts->to, o.end_use_concern, &after,
                                 err))) {
            int col = rc == ECTL_EUNKNOWN_COUNTRY ? idx[COL_DEST] : idx[COL_ITEM];
            rc = row_fail(&csv, col, rc == ECTL_EUNKNOWN_COUNTRY ? "destination" : "item", err);
            goto out;
        }
        st.orders++;
        if (!ectl_determination_same(&before, &after)) {
            st.changed++;
            if ((rc = opts->on_change(opts->ctx, &o, &before, &after))) {
                ectl_error_set(err, ECTL_ECANCELED, "stopped by the caller");
                rc = ECTL_ECANCELED;
                goto out;
            }
        }
        if (opts->on_progress && (st.orders & 0xffff) == 0)
            opts->on_progress(opts->ctx, ectl_csv_offset(&csv), len);
    }
    if (rc == 0 && opts->on_progress)
        opts->on_progress(opts->ctx, len, len);
out:
    for (size_t i = 0; names && i < ncols; i++)
        free(names[i]);
    free(names);
    ectl_csv_release(&csv);
    if (stats)
        *stats = st;
    return rc < 0 ? rc : 0;
}

int ectl_impact_file(const struct ectl_regime *r, const char *path,
                     const struct ectl_impact_opts *opts, struct ectl_impact_stats *stats,
                     struct ectl_error *err)
{
    struct ectl_error local;
    if (!err)
        err = &local;
    struct ectl_file f;
    int rc = ectl_file_open(&f, path, err);
    if (rc)
        return rc;
    rc = ectl_impact_buffer(r, f.data, f.len, strcmp(path, "-") ? path : "<stdin>", opts, stats,
                            err);
    ectl_file_release(&f);
    return rc;
}
