# Sourced (after lib.sh) by tests/fresh/pkg.sh and, in the QEMU guest,
# by tests/fresh/systemd-guest.sh for its end (systemd-guest-end.sh): the
# checks of what an installation leaves, one copy for both parts.
#
#	PKG_SKIP="DIR ..."	the part's own paths, not the package's
#	pkg_before		before the installation: the file system
#				and the user databases, kept in W
#	pkg_remove CONF COPY PKG...	apt-get remove PKG...; configuration
#				(CONF, as COPY has it), state and user kept,
#				the programs gone
#	pkg_purge PKG...	apt-get purge PKG..., autoremove --purge;
#				nothing left: the file system and the user
#				databases as pkg_before found them
#
# W is the part's work directory; apt_q, ok and nok are lib.sh's.

# the file system's paths, sorted, but for the kernel's file systems,
# /run (a tmpfs where tools keep their locks: /run/adduser,
# /run/systemd; /run/bmcwatch is checked on its own), the temporary
# directories, apt's and dpkg's records, logs and caches, and PKG_SKIP
pkg_snapshot() {
	set -- -path /proc
	for _p in /sys /dev /run /tmp /var/tmp /var/lib/apt /var/lib/dpkg \
	    /var/cache/apt /var/cache/debconf /var/cache/man /var/log/apt \
	    /var/log/dpkg.log /var/log/alternatives.log ${PKG_SKIP:-}; do
		set -- "$@" -o -path "$_p"
	done
	find / -xdev \( "$@" \) -prune -o -print 2>/dev/null | sort
}

pkg_before() {
	pkg_snapshot >"$W/before.list"
	for _f in passwd group shadow gshadow; do
		cp "/etc/$_f" "$W/$_f" 2>/dev/null || rm -f "$W/$_f"
	done
}

pkg_remove() {
	_conf=$1 _copy=$2
	shift 2
	apt_q remove "$@" >"$W/remove.log" 2>&1 ||
	    { nok "apt-get remove $*"; tail -n 15 "$W/remove.log" | sed 's/^/#   /'; }
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' bmcwatch)" = "rc " ] &&
	    ok "removed, configuration kept (rc)" || nok "not rc after remove"
	[ ! -e /usr/sbin/bmcwatchd ] && [ ! -e /usr/bin/bmcwatch ] &&
	    ok "remove: the programs are gone" || nok "remove left the programs"
	cmp -s "$_conf" "$_copy" &&
	    ok "remove keeps $_conf as the admin left it" ||
	    nok "remove lost or changed $_conf"
	[ -d /var/lib/bmcwatch ] && [ -d /var/log/bmcwatch ] &&
	    getent passwd _bmcwatch >/dev/null &&
	    ok "remove keeps the state, the logs and the user" ||
	    nok "remove dropped state, logs or user"
}

pkg_purge() {
	apt_q purge "$@" >"$W/purge.log" 2>&1 ||
	    { nok "apt-get purge $*"; tail -n 15 "$W/purge.log" | sed 's/^/#   /'; }
	for _p; do
		dpkg-query -W "$_p" >/dev/null 2>&1 &&
		    nok "dpkg still knows $_p after purge" || ok "$_p purged"
	done
	getent passwd _bmcwatch >/dev/null || getent group bmcwatch >/dev/null &&
	    nok "purge left the user or the group" ||
	    ok "purge removes the user _bmcwatch and the group bmcwatch"
	[ ! -e /run/bmcwatch ] && ok "purge removes /run/bmcwatch" ||
	    nok "/run/bmcwatch left after purge"
	# the dependencies apt brought for the packages alone (adduser,
	# procps ...)
	apt_q autoremove --purge >"$W/autoremove.log" 2>&1 ||
	    nok "apt-get autoremove --purge (after)"
	sed -n 's/^Purg \([^ ]*\).*/# autoremoved: \1/p; s/^Removing \([^ ]*\) .*/# autoremoved: \1/p' \
	    "$W/autoremove.log"
	pkg_snapshot >"$W/after.list"
	if cmp -s "$W/before.list" "$W/after.list"; then
		ok "purge leaves the file system as before the installation"
	else
		nok "purge leaves these behind (or took these away):"
		diff "$W/before.list" "$W/after.list" | grep '^[<>]' |
		    sed 's/^/#   /' | head -n 30
	fi
	for _f in passwd group shadow gshadow; do
		[ -f "$W/$_f" ] || continue
		cmp -s "$W/$_f" "/etc/$_f" && ok "/etc/$_f as before" ||
		    { nok "/etc/$_f differs"; diff "$W/$_f" "/etc/$_f" | sed 's/^/#   /'; }
	done
}
