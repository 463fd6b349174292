/*
 * Token weights: how much a token says about who a name is.  A rare
 * surname says much, "mohammad" little, "llc" almost nothing.
 */
#include <math.h>

#include "../normalize.h"
#include "format.h"
#include "sim.h"

unsigned ectl_ix_term_flags(unsigned tok_flags, const char *text, size_t len)
{
    static const struct {
        unsigned tok, term;
    } map[] = {
        {ECTL_TOK_LEGAL_FORM, ECTL_IX_T_LEGAL},  {ECTL_TOK_HONORIFIC, ECTL_IX_T_HONORIFIC},
        {ECTL_TOK_GENERIC, ECTL_IX_T_GENERIC},   {ECTL_TOK_PATRONYMIC, ECTL_IX_T_PATRONYMIC},
        {ECTL_TOK_FUNCTION, ECTL_IX_T_FUNCTION},
    };
    unsigned f = 0;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (tok_flags & map[i].tok)
            f |= map[i].term;
    if (ectl_sim_has_digit(text, len))
        return f | ECTL_IX_T_DIGITS; /* a digit matches only itself */
    if (len == 1)
        f |= ECTL_IX_T_INITIAL;
    return f;
}

float ectl_ix_flag_factor(unsigned flags)
{
    if (flags & (ECTL_IX_T_LEGAL | ECTL_IX_T_FUNCTION))
        return 0.05f;
    if (flags & ECTL_IX_T_HONORIFIC)
        return 0.1f;
    if (flags & ECTL_IX_T_GENERIC)
        return 0.3f;
    /* One letter tells one name in 26 from the rest, however rare the
     * letter is as a word of the lists: "V. Putin" is mostly "Putin". */
    if (flags & ECTL_IX_T_INITIAL)
        return 0.3f;
    /* A father's name says less than the person's own names, and lists
     * and documents often leave it out ("Sergey Lavrov" for SERGEY
     * VIKTOROVICH LAVROV); it still counts. */
    if (flags & ECTL_IX_T_PATRONYMIC)
        return 0.3f;
    return 1.0f;
}

float ectl_ix_weight(uint32_t df, uint32_t n, unsigned flags)
{
    double d = df ? (double)df : 0.5;
    double w = log(1.0 + (double)(n ? n : 1) / d);
    return (float)(w * ectl_ix_flag_factor(flags));
}
