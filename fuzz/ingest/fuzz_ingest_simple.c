/*
 * Fuzz the simple-csv importer: the input is the whole file, imported with the
 * format forced (so the reader runs even when detection would have picked
 * another format).  Refusing the file is fine; crashes, leaks, UB and
 * broken promises (see fuzz_ingest.h) are not.
 */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_buffer(data, size, "blocked.csv", "simple-csv");
    return 0;
}
