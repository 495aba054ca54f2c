/*
 * Fuzz the severity config line parser (agent/bmc/severity.c): every
 * input is split into lines and each parsed; whatever is accepted must
 * then answer lookups within the severity range, and every refusal must
 * carry a message.  Seeds: the rules of etc/sensors-severity.conf and
 * edge cases (quotes, #N patterns, long lines).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "severity.h"

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t len)
{
	struct severity *s = severity_new();
	char line[1100], err[256];
	size_t i = 0, n;
	unsigned o;

	while (i < len) {
		n = 0;
		while (i < len && p[i] != '\n' && n + 1 < sizeof(line))
			line[n++] = (char)p[i++];
		if (i < len && p[i] == '\n')
			i++;
		line[n] = '\0';
		err[0] = '\0';
		if (severity_parse_line(s, line, err, sizeof(err)) != 0)
			fuzz_must(err[0] != '\0' && memchr(err, '\0',
			    sizeof(err)) != NULL);
	}
	for (o = 0; o < 15; o++) {
		fuzz_must(severity_offset(s, "PS1 Status", 0x33, 0x08, 0x6f,
		    (uint8_t)o) <= SENSOR_SEV_NONRECOVERABLE);
		fuzz_must(severity_offset(s, "x", (uint8_t)o, (uint8_t)o, 0x01,
		    (uint8_t)o) <= SENSOR_SEV_NONRECOVERABLE);
	}
	fuzz_must(severity_threshold(s, "CPU1 Temp", 1, 1, 0x3f) <=
	    SENSOR_SEV_NONRECOVERABLE);
	(void)severity_excluded(s, "FAN1", 8);
	severity_free(s);
	return 0;
}
