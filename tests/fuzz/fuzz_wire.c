/*
 * Fuzz the subagent's parser of what bmcwatchd streams to it
 * (agent/snmp/wire.c, wire_parse): whatever parses must hold together
 * (a known kind, a target name of the allowed characters, rows of known
 * tables, cells sorted by column without duplicates, every value of a
 * known type within its bounds), and a refusal must say something.
 * Seeds: messages captured from a daemon on the sim (snapshot,
 * notifications, general) and hand-made edges (tests/fuzz/corpus/wire/).
 * Mutated inputs are kept to 4 kB, a few rows: the 24 kB snapshot seed
 * made each run parse 125 rows, 5 times slower for no new code (make
 * check still replays it whole):
 * run.sh flags: -max_len=4096
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "snmp/wire.h"

static void
val_ok(const struct wire_val *v)
{
	switch (v->type) {
	case WIRE_INT:
		fuzz_must(v->i >= INT32_MIN && v->i <= INT32_MAX);
		break;
	case WIRE_ENT:
		fuzz_must(v->i >= 0 && v->i <= 4194303);
		break;
	case WIRE_WALL:
		fuzz_must(v->i >= 0);
		break;
	case WIRE_UNSIGNED:
	case WIRE_GAUGE:
	case WIRE_COUNTER:
		fuzz_must(v->u <= UINT32_MAX);
		break;
	case WIRE_COUNTER64:
		break;
	case WIRE_STRING:
		fuzz_must(v->slen <= WIRE_STR_MAX);
		fuzz_must((v->s == NULL) == (v->slen == 0) || v->s != NULL);
		break;
	case WIRE_OID:
		fuzz_must(v->oidlen >= 2 && v->oidlen <= WIRE_OID_MAX);
		break;
	default:
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_msg m;
	struct wire_val a, b;
	const struct wire_val *v;
	char err[256];
	size_t i, k, n;

	err[0] = '\0';
	if (wire_parse((const char *)data, size, &m, err, sizeof(err)) != 0) {
		fuzz_must(err[0] != '\0' && strlen(err) < sizeof(err));
		fuzz_must(m.nrows == 0 && m.nvbs == 0 && m.ngen == 0);
		return 0;
	}
	fuzz_must(m.kind == WIRE_SNAPSHOT || m.kind == WIRE_GONE ||
	    m.kind == WIRE_NOTIFY || m.kind == WIRE_GENERAL ||
	    m.kind == WIRE_WEBHOOK || m.kind == WIRE_WEBHOOK_GONE);
	n = strlen(m.name);
	fuzz_must(n <= WIRE_NAME_MAX);
	fuzz_must((m.kind == WIRE_GENERAL) == (n == 0));
	for (i = 0; i < n; i++)
		fuzz_must(strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
		    m.name[i]) != NULL);
	fuzz_must(m.kind == WIRE_SNAPSHOT || m.kind == WIRE_WEBHOOK ||
	    m.nrows == 0);
	fuzz_must(m.kind == WIRE_NOTIFY || m.nvbs == 0);
	fuzz_must(m.nrows <= WIRE_ROWS_MAX && m.nvbs <= WIRE_COLS_MAX &&
	    m.ngen <= WIRE_COLS_MAX);
	for (i = 0; i < m.nrows; i++) {
		fuzz_must(wire_tab_ok(m.rows[i].tab));
		fuzz_must(m.rows[i].nv <= WIRE_COLS_MAX);
		for (k = 0; k < m.rows[i].nv; k++) {
			/* a cell reads back the same by index and by
			 * column (the binary search finds every one) */
			fuzz_must(k == 0 || wire_row_val(&m.rows[i], k - 1,
			    &b)->col < wire_row_val(&m.rows[i], k, &a)->col);
			v = wire_row_val(&m.rows[i], k, &a);
			val_ok(v);
			fuzz_must(wire_row_col(&m.rows[i], v->col, &b) == &b);
			fuzz_must(b.type == a.type && b.i == a.i && b.u == a.u &&
			    b.s == a.s && b.slen == a.slen && b.oid == a.oid &&
			    b.oidlen == a.oidlen);
			fuzz_must(a.s == NULL || a.s[a.slen] == '\0');
		}
		fuzz_must(wire_row_col(&m.rows[i], 0, &b) == NULL ||
		    wire_row_val(&m.rows[i], 0, &a)->col == 0);
	}
	for (i = 0; i < m.nvbs; i++) {
		fuzz_must(wire_tab_ok(m.vbs[i].tab));
		val_ok(&m.vbs[i].v);
	}
	for (i = 0; i < m.ngen; i++)
		val_ok(&m.gen[i]);
	wire_msg_free(&m);
	fuzz_must(m.nrows == 0 && m.rows == NULL);
	return 0;
}
