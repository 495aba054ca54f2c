/*
 * Helpers shared by the SDR-based commands (cli_sdr.c, cli_sensors.c):
 * the connection and the SDR cache as the options ask for it.
 */
#ifndef CLI_SDR_H
#define CLI_SDR_H

#include "cli.h"
#include "sdr_cache.h"

struct cli_sdr_opts {
	const char	*cache_dir;	/* --sdr-cache DIR */
	const char	*sdr_file;	/* --sdr-file FILE */
	int		 no_cache;	/* --no-sdr-cache: memory only */
};

/*
 * Consume the SDR options at argv[*i] (advancing *i past an argument).
 * Returns 1 if argv[*i] was one, 0 if not, -1 on a usage error.
 */
int	cli_sdr_opt(const char *cmd, int argc, char **argv, int *i,
	    struct cli_sdr_opts *);
/* open the connection without sending anything (CLI_* on failure) */
int	cli_sdr_connect(struct cli *);
/* an SDR cache per the options (the connection opened); NULL with *rc
 * set on failure */
struct sdr_cache *cli_sdr_cache(struct cli *, const struct cli_sdr_opts *,
	    int *rc);
/* the same; with --sdr-file and !need_conn nothing is opened (offline
 * analysis: sdr list / dump of an image file) */
struct sdr_cache *cli_sdr_cache_conn(struct cli *,
	    const struct cli_sdr_opts *, int need_conn, int *rc);
/* run the loop until *done */
void	cli_sdr_wait(struct cli *, volatile int *done);

#endif
