/*
 * What every check_bmc_* plugin shares with the Monitoring Plugins
 * development guidelines: the four states and their exit codes, the
 * range syntax of -w/-c thresholds, performance data, and the output (one
 * status line, then long output, perfdata after '|').  Pure but for
 * np_out_finish(), which prints.
 */
#ifndef NP_H
#define NP_H

#include <stddef.h>
#include <stdio.h>

enum np_state {
	NP_OK = 0,
	NP_WARNING = 1,
	NP_CRITICAL = 2,
	NP_UNKNOWN = 3
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN" */
const char	*np_state_name(enum np_state);
/* the worse of two: CRITICAL > WARNING > UNKNOWN > OK (the guidelines'
 * max_state) */
enum np_state	 np_worst(enum np_state, enum np_state);

/*
 * A threshold range (guidelines, "Threshold and ranges"):
 *	10	alert outside 0..10
 *	10:	alert below 10 (outside 10..inf)
 *	~:10	alert above 10 (outside -inf..10)
 *	10:20	alert outside 10..20
 *	@10:20	alert inside 10..20 (inclusive)
 * Numbers are decimal, may be negative and have a fraction; start must
 * not exceed end.
 */
struct np_range {
	double	 start;
	double	 end;
	int	 start_inf;	/* ~: -infinity */
	int	 end_inf;	/* nothing after ':': +infinity */
	int	 inside;	/* @: alert inside */
};

/* 0, or -1 with the reason in err ("'x': ...") */
int		 np_range_parse(const char *, struct np_range *, char *err,
		    size_t errlen);
/* 1 if v raises an alert against the range */
int		 np_range_alert(const struct np_range *, double v);
/* the range in the guidelines' syntax, as parsed (for perfdata) */
void		 np_range_str(const struct np_range *, char *out, size_t len);

/*
 * Performance data, one item (after a space unless f is empty): 'label'=value[UOM];[warn];[crit];[min];[max]
 * The label is always quoted, a quote in it doubled and '=' (which
 * the grammar forbids) replaced by '_'.  warn, crit: range strings or
 * NULL; min, max: NULL-able.  uom: NULL or one of the units the
 * grammar (or Icinga 2's extended units) allows, checked by the caller.
 */
void		 np_perf(FILE *, const char *label, double value, int decimals,
		    const char *uom, const char *warn, const char *crit,
		    const double *min, const double *max);
/* a number as perfdata wants it: no exponent, no trailing zeros */
void		 np_num(double, int decimals, char *out, size_t len);

/* The answer being built. */
struct np_out {
	enum np_state	 state;
	char		*summary;	/* after "LABEL STATE - " */
	FILE		*lng;		/* long output, one line per item */
	char		*lngbuf;
	size_t		 lnglen;
	FILE		*perf;		/* perfdata items, ' ' between */
	char		*perfbuf;
	size_t		 perflen;
};

void		 np_out_init(struct np_out *);
/* the status line's text (printf) */
void		 np_out_summary(struct np_out *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* print "LABEL STATE - summary | perfdata\nlong output" to stdout, free
 * everything; returns the exit code (the state) */
int		 np_out_finish(struct np_out *, const char *label);

#endif
