/*
 * libexportctl: export-control licence determination, change impact and
 * agreement status, as of any date.  This umbrella header pulls in the
 * whole public API; every header under include/exportctl/ is usable alone.
 */
#ifndef EXPORTCTL_H
#define EXPORTCTL_H

#include <exportctl/version.h>
#include <exportctl/error.h>
#include <exportctl/date.h>
#include <exportctl/rules.h>
#include <exportctl/impact.h>
#include <exportctl/agreements.h>
#include <exportctl/screen.h>
#include <exportctl/check.h>
#include <exportctl/store.h>
#include <exportctl/auth.h>
#include <exportctl/utf8.h>

#endif
