/*
 * Chassis policy (see chassis.h): IPMI v2.0 chapter 28.
 */
#include <string.h>

#include "chassis.h"

int
chassis_priv_ok(uint8_t priv)
{
	return priv >= CHASSIS_CTL_PRIV && priv <= IPMI_PRIV_OEM ? 0 : -1;
}

const char *
chassis_item_name(enum chassis_item s)
{
	switch (s) {
	case CHASSIS_ITEM_NONE:
		return "not asked";
	case CHASSIS_ITEM_OK:
		return "ok";
	case CHASSIS_ITEM_UNSUPPORTED:
		return "not supported";
	case CHASSIS_ITEM_CCODE:
		return "error";
	case CHASSIS_ITEM_BAD:
		return "malformed answer";
	}
	return "?";
}

/*
 * The optional chassis commands (restart cause, POH, boot options) are
 * "not supported" rather than an error when the BMC says C1h (invalid
 * command), C2h (invalid for LUN), or, for boot options, 80h (parameter
 * not supported).  Anything else is an error worth showing.
 */
enum chassis_item
chassis_classify(uint8_t netfn, uint8_t cmd, uint8_t cc)
{
	if (cc == IPMI_CC_OK)
		return CHASSIS_ITEM_OK;
	if (cc == IPMI_CC_INVALID_COMMAND ||
	    cc == IPMI_CC_INVALID_COMMAND_FOR_LUN)
		return CHASSIS_ITEM_UNSUPPORTED;
	if ((netfn & ~1) == IPMI_NETFN_CHASSIS &&
	    cmd == IPMI_CMD_GET_SYSTEM_BOOT_OPTIONS &&
	    cc == CHASSIS_CC_BOOTPARAM_UNSUPPORTED)
		return CHASSIS_ITEM_UNSUPPORTED;
	return CHASSIS_ITEM_CCODE;
}

enum { Q_STATUS, Q_RESTART, Q_POH, Q_BOOT, Q_DONE };

static void	chassis_query_rsp(void *, enum ipmi_err,
		    const struct ipmi_rsp *);

static void
chassis_query_finish(struct chassis_query *q, enum ipmi_err e)
{
	q->err = e;
	q->active = 0;
	q->step = Q_DONE;
	if (q->done != NULL)
		q->done(q, q->arg);
}

/* send the next step at or after q->step that was asked for */
static void
chassis_query_next(struct chassis_query *q)
{
	for (;;) {
		switch (q->step) {
		case Q_STATUS:
			chassis_status_req(&q->req);
			break;
		case Q_RESTART:
			if (!(q->what & CHASSIS_Q_RESTART)) {
				q->step++;
				continue;
			}
			chassis_restart_req(&q->req);
			break;
		case Q_POH:
			if (!(q->what & CHASSIS_Q_POH)) {
				q->step++;
				continue;
			}
			chassis_poh_req(&q->req);
			break;
		case Q_BOOT:
			if (!(q->what & CHASSIS_Q_BOOTDEV)) {
				q->step++;
				continue;
			}
			chassis_bootopt_req(&q->req, CHASSIS_BOOTPARAM_FLAGS,
			    0, 0);
			break;
		default:
			chassis_query_finish(q, IPMI_OK);
			return;
		}
		if (conn_submit(q->conn, &q->req, chassis_query_rsp, q) != 0)
			chassis_query_finish(q, IPMI_E_BUSY);
		return;
	}
}

static void
chassis_query_rsp(void *arg, enum ipmi_err err, const struct ipmi_rsp *rsp)
{
	struct chassis_query *q = arg;
	struct chassis_snapshot *s = &q->snap;
	struct chassis_bootopt bo;
	enum chassis_item st;

	if (!q->active)
		return;
	if (err != IPMI_OK) {
		chassis_query_finish(q, err);
		return;
	}
	st = chassis_classify(q->req.netfn, q->req.cmd, rsp->ccode);
	switch (q->step) {
	case Q_STATUS:
		s->status_ccode = rsp->ccode;
		if (rsp->ccode != IPMI_CC_OK) {
			/* the status is mandatory: no point going on */
			s->status_state = CHASSIS_ITEM_CCODE;
			chassis_query_finish(q, IPMI_OK);
			return;
		}
		s->status_state = chassis_status_decode(rsp->data, rsp->len,
		    &s->status) == IPMI_OK ? CHASSIS_ITEM_OK :
		    CHASSIS_ITEM_BAD;
		break;
	case Q_RESTART:
		s->restart_ccode = rsp->ccode;
		if (st == CHASSIS_ITEM_OK && chassis_restart_decode(rsp->data,
		    rsp->len, &s->restart) != IPMI_OK)
			st = CHASSIS_ITEM_BAD;
		s->restart_state = st;
		break;
	case Q_POH:
		s->poh_ccode = rsp->ccode;
		if (st == CHASSIS_ITEM_OK && chassis_poh_decode(rsp->data,
		    rsp->len, &s->poh) != IPMI_OK)
			st = CHASSIS_ITEM_BAD;
		s->poh_state = st;
		break;
	case Q_BOOT:
		s->boot_ccode = rsp->ccode;
		if (st == CHASSIS_ITEM_OK &&
		    (chassis_bootopt_decode(rsp->data, rsp->len, &bo) !=
		    IPMI_OK ||
		    chassis_bootflags_decode(&bo, &s->boot) != IPMI_OK))
			st = CHASSIS_ITEM_BAD;
		s->boot_state = st;
		break;
	default:
		return;
	}
	q->step++;
	chassis_query_next(q);
}

int
chassis_query_start(struct chassis_query *q, struct conn *conn,
    chassis_query_fn *done, void *arg)
{
	memset(&q->snap, 0, sizeof(q->snap));
	q->err = IPMI_OK;
	q->conn = conn;
	q->done = done;
	q->arg = arg;
	q->step = Q_STATUS;
	q->active = 1;
	chassis_status_req(&q->req);
	if (conn_submit(conn, &q->req, chassis_query_rsp, q) != 0) {
		q->active = 0;
		return -1;
	}
	return 0;
}
