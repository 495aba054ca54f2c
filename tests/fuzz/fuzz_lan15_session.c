/*
 * Fuzz the IPMI 1.5 LAN session state machine (lan15.c) through
 * ipmi_tr_input(): see session.h for the input format.  The selector
 * picks the auth type: best offered, NONE, MD5, straight password (all
 * with allow-none).  Seeds in corpus/lan15_session/ are handshakes
 * captured from ipmi_sim by mkcorpus.sh; they replay into an open
 * session.  Sends go to 127.0.0.1:9 (discard).
 */
#include "session.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run(IPMI_IFACE_LAN, data, size);
	return 0;
}
