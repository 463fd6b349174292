/*
 * Fuzz format detection: the input is any file, imported with the format
 * left to detection, under a name that byte 0 picks (the OFAC file name
 * decides between the SDN and the non-SDN list).  Whatever is detected
 * must then import without crashing, and a refused file must not have
 * reached the consumer.
 */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"list.csv", "sdn.csv", "cons_prim.csv", "un.xml"};
    const char *name = names[size ? data[0] % 4 : 0];
    fuzz_buffer(data, size, name, NULL);
    return 0;
}
