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
apt_q remove bmcwatch-snmp monitoring-plugins-bmcwatch bmcwatch \
    >"$W/remove.log" 2>&1 || nok "apt-get remove"
# the daemon's clean stop (nowayout no) disarmed the BMC watchdog
ipmitool -I open mc watchdog get >"$W/wdget.out" 2>&1
grep -q 'Watchdog Timer Is: *Stopped' "$W/wdget.out" &&
    ok "the clean stop disarmed the BMC watchdog (ipmitool: Stopped)" ||
    { nok "the BMC watchdog after the stop:"; sed 's/^/#   /' "$W/wdget.out"; }
[ "$(dpkg-query -W -f='${db:Status-Abbrev}' bmcwatch)" = "rc " ] &&
    ok "removed (rc)" || nok "bmcwatch not rc after remove"
[ "$(systemctl is-active bmcwatchd 2>&1)" != active ] &&
    ! kill -0 "$pid" 2>/dev/null &&
    ok "remove stopped bmcwatchd" || nok "bmcwatchd still runs after remove"
[ ! -e /etc/systemd/system/multi-user.target.wants/bmcwatchd.service ] &&
    ok "remove disabled it" || nok "still enabled after remove"
s=$(stat -c '%U' /dev/ipmi0 2>/dev/null)
[ "$s" = root ] && ok "remove gives /dev/ipmi0 back to root" ||
    nok "/dev/ipmi0 owned by '$s' after remove"
[ -f "$CONF" ] && ok "remove keeps $CONF" || nok "remove lost $CONF"
apt_q purge bmcwatch-snmp monitoring-plugins-bmcwatch bmcwatch \
    >"$W/purge.log" 2>&1 || nok "apt-get purge"
apt_q autoremove --purge >"$W/autoremove.log" 2>&1 ||
    nok "apt-get autoremove --purge"
for p in bmcwatch bmcwatch-snmp monitoring-plugins-bmcwatch; do
	dpkg-query -W "$p" >/dev/null 2>&1 && nok "dpkg knows $p after purge" ||
	    ok "$p purged"
done
systemctl daemon-reload
systemctl cat bmcwatchd >/dev/null 2>&1 &&
    nok "systemd still knows bmcwatchd.service" ||
    ok "systemd knows no bmcwatchd.service"
snapshot >"$W/after.list"
if cmp -s "$W/before.list" "$W/after.list"; then
	ok "purge leaves the file system as before the installation"
else
	nok "purge leaves these behind (or took these away):"
	diff "$W/before.list" "$W/after.list" | grep '^[<>]' |
	    sed 's/^/#   /' | head -n 30
fi
for f in passwd group; do
	cmp -s "$W/$f" "/etc/$f" && ok "/etc/$f as before" ||
	    { nok "/etc/$f differs"; diff "$W/$f" "/etc/$f" | sed 's/^/#   /'; }
done
elapsed "purged"
finish
