# The end of tests/fresh/systemd-guest.sh (sourced by it, in the boot
# after the watchdog's reset or, when that reset did not come, in the
# first): the administrator's configuration undone, then remove and
# purge.  pid is the daemon's main pid.
cp "$W/conf.orig" "$CONF"
rm -f /etc/bmcwatch/sol.pw
[ -n "${SIM_PID:-}" ] && sim_stop
[ -n "$SOL_PID" ] && kill "$SOL_PID" 2>/dev/null
SOL_PID=

# ---- remove, purge -------------------------------------------------------------
# (the package checks, as pkg.sh's: tests/fresh/pkgcheck.sh; here those
# of the service under systemd besides)
pkg_remove "$CONF" "$W/conf.orig" bmcwatch-snmp monitoring-plugins-bmcwatch \
    bmcwatch
# the daemon's clean stop (nowayout no) disarmed the BMC watchdog
ipmitool -I open mc watchdog get >"$W/wdget.out" 2>&1
grep -q 'Watchdog Timer Is: *Stopped' "$W/wdget.out" &&
    ok "the clean stop disarmed the BMC watchdog (ipmitool: Stopped)" ||
    { nok "the BMC watchdog after the stop:"; sed 's/^/#   /' "$W/wdget.out"; }
[ "$(systemctl is-active bmcwatchd 2>&1)" != active ] &&
    ! kill -0 "$pid" 2>/dev/null &&
    ok "remove stopped bmcwatchd" || nok "bmcwatchd still runs after remove"
[ ! -e /etc/systemd/system/multi-user.target.wants/bmcwatchd.service ] &&
    ok "remove disabled it" || nok "still enabled after remove"
s=$(stat -c '%U' /dev/ipmi0 2>/dev/null)
[ "$s" = root ] && ok "remove gives /dev/ipmi0 back to root" ||
    nok "/dev/ipmi0 owned by '$s' after remove"
pkg_purge bmcwatch-snmp monitoring-plugins-bmcwatch bmcwatch
s=$(stat -c %a /var/agentx 2>&1)
[ "$s" = "$(cat "$W/agentx.mode")" ] &&
    ok "purge gives /var/agentx its mode back ($s)" ||
    nok "/var/agentx is $s after purge, $(cat "$W/agentx.mode") before"
systemctl daemon-reload
systemctl cat bmcwatchd >/dev/null 2>&1 &&
    nok "systemd still knows bmcwatchd.service" ||
    ok "systemd knows no bmcwatchd.service"
elapsed "purged"
finish
