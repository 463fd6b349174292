#include <exportctl/version.h>

const char *ectl_version(void)
{
    return ECTL_VERSION;
}
