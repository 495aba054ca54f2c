/*
 * Fuzz the IPMI 2.0 RMCP+ session state machine (lanplus.c) through
 * ipmi_tr_input(): see session.h for the input format and why captured
 * handshakes (corpus/lanplus_session/, made by mkcorpus.sh) replay into
 * an open session for every cipher suite.  Sends go to 127.0.0.1:9
 * (discard), where nothing listens.
 */
#include "session.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(IPMI_IFACE_LANPLUS, data, size);
	return 0;
}
