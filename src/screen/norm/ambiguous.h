/*
 * A token flag beside enum ectl_token_flags (../normalize.h), shared by the
 * normaliser and the index builder.
 *
 * Short legal forms (SE, AS, AG, CO, PT, AO, SA, KK, NV, BV ...) are also
 * words, initials and name particles ("PAK HAN SE", "Co Van Nguyen").
 * When the first reading of a name maps one to the class "llc", the
 * normaliser adds a reading, after the others, in which those words stay
 * literal and carry this flag.  A consumer that knows the name is a
 * person's keeps that reading alone; one that knows it is an organisation's
 * drops it; a query keeps both.
 */
#ifndef ECTL_SCREEN_NORM_AMBIGUOUS_H
#define ECTL_SCREEN_NORM_AMBIGUOUS_H

#define ECTL_TOK_AMBIGUOUS_FORM (1u << 4)

#endif
