#!/usr/bin/env python3
"""Check agent/snmp/oids.h against BMCWATCH-MIB.

    check_oids.py SMIDUMP_PY SNMPTRANSLATE_TZ OIDS_H

SMIDUMP_PY is the output of `smidump -f python BMCWATCH-MIB` (libsmi's
parse of the MIB), SNMPTRANSLATE_TZ that of `snmptranslate -Tz` with the
MIB loaded (net-snmp's parse).  Prints "ok - ..." / "not ok - ..." lines
and "#" diagnostics; exits 1 if any check failed.

Checks:
  1. libsmi and net-snmp give every node and notification of the module
     the same OID.
  2. Every object-like macro of oids.h is one of (see its header):
       BMCWATCH_MIB_OID, BMCWATCH_MIB_OID_LEN   the module's root
       BMCW_X_OID             full OID of bmcwX (node, table, entry,
                              scalar, notification)
       BMCW_X_TABLE_MIN_COL / _MAX_COL  first / last accessible column
       BMCW_X                 column number of column bmcwX
       BMCW_X_LABEL           enumeration value / BITS bit number of a
                              label of column bmcwX or of type BmcwX
       BMCW_X_MIN / BMCW_X_MAX  range bounds of type BmcwX
       BMCW_CHASSIS_KEY       checked by oids_check.c
     with the value the MIB gives; anything else is an error.
     Function-like macros are checked by oids_check.c.
  3. Every node, notification, column, enumeration label and BITS label
     of the MIB has its macro.
"""
import ast
import re
import sys

ROOT_DESCR = 'bmcwatchMIB'
PREFIX = 'BMCW_'
# object-like macros that are not MIB names; oids_check.c checks them
FORMULA = {'BMCW_CHASSIS_KEY'}

failures = 0


def ok(msg):
    print('ok - ' + msg)


def not_ok(msg, details=()):
    global failures
    failures += 1
    print('not ok - ' + msg)
    for d in list(details)[:40]:
        print('#   ' + d)
    if len(details) > 40:
        print('#   ... and %d more' % (len(details) - 40))


def snake(name):
    """bmcwSensorValue -> BMCW_SENSOR_VALUE, state10 -> STATE10"""
    return re.sub(r'(?<=[a-z0-9])(?=[A-Z])', '_', name).upper()


def load_smidump(path):
    text = open(path).read()
    return ast.literal_eval(text[text.index('MIB = ') + len('MIB = '):])


def load_tz(path):
    oids = {}
    for line in open(path):
        m = re.match(r'^"([^"]+)"\s+"([0-9.]+)"', line)
        if m:
            oids[m.group(1)] = m.group(2)
    return oids


def parse_header(path):
    """object-like and function-like #defines (continuations joined)"""
    lines = open(path).read().replace('\\\n', ' ').split('\n')
    objs, funcs = {}, set()
    for ln, line in enumerate(lines, 1):
        m = re.match(r'\s*#\s*define\s+(\w+)(\(?)(.*)$', line)
        if not m:
            continue
        name, paren, value = m.group(1), m.group(2), m.group(3)
        if paren:
            funcs.add(name)
            continue
        value = re.sub(r'/\*.*?\*/', '', value).strip()
        objs[name] = (value, ln)
    return objs, funcs


def expand(name, objs, seen=()):
    """value of a macro as a list of integers (comma lists, other macros,
    decimal literals with an optional u suffix)"""
    if name in seen:
        raise ValueError('recursive macro ' + name)
    out = []
    for tok in objs[name][0].split(','):
        tok = tok.strip()
        if re.fullmatch(r'\d+[uU]?', tok):
            out.append(int(tok.rstrip('uU')))
        elif tok in objs:
            out.extend(expand(tok, objs, seen + (name,)))
        else:
            raise ValueError('%s: cannot read %r' % (name, tok))
    return out


def named_numbers(syntax):
    return {k: int(v['number']) for k, v in syntax.items()
            if isinstance(v, dict) and v.get('nodetype') == 'namednumber'}


def main():
    mib = load_smidump(sys.argv[1])
    tz = load_tz(sys.argv[2])
    objs, funcs = parse_header(sys.argv[3])

    nodes = dict(mib['nodes'])
    nodes.update(mib['notifications'])
    root = nodes[ROOT_DESCR]['oid']

    # 1. two parsers, one tree
    diff = []
    for n, v in sorted(nodes.items()):
        if tz.get(n) != v['oid']:
            diff.append('%s: libsmi %s, net-snmp %s' %
                        (n, v['oid'], tz.get(n, 'missing')))
    ours = {n for n, o in tz.items()
            if o == root or o.startswith(root + '.')}
    groups = set(mib.get('groups', {})) | set(mib.get('compliances', {}))
    for n in sorted(ours - set(nodes) - groups):
        diff.append('%s: only net-snmp knows it (%s)' % (n, tz[n]))
    if diff:
        not_ok('libsmi and net-snmp agree on every OID of the module', diff)
    else:
        ok('libsmi and net-snmp agree on all %d OIDs of the module' %
           len(nodes))

    # what oids.h must hold, by macro name: (value, what)
    want = {}

    def need(name, value, what):
        if name in want and want[name][0] != value:
            not_ok('one meaning per macro name: ' + name,
                   ['%s and %s' % (want[name][1], what)])
        want[name] = (value, what)

    want_len = len(root.split('.'))
    entries = {}
    for n, v in nodes.items():
        oid = [int(x) for x in v['oid'].split('.')]
        nt = v['nodetype']
        if n == ROOT_DESCR:
            need('BMCWATCH_MIB_OID', oid, 'the module root')
            need('BMCWATCH_MIB_OID_LEN', [want_len], 'root length')
        elif nt == 'column':
            need(snake(n), [oid[-1]], 'column ' + n)
            entries.setdefault(v['oid'].rsplit('.', 1)[0], []).append(
                (oid[-1], v.get('access')))
        else:
            need(snake(n) + '_OID', oid, '%s %s' % (nt, n))
        syn = v.get('syntax', {}).get('type', {})
        if 'name' not in syn:   # an enumeration or BITS of its own
            for label, num in named_numbers(syn).items():
                need(snake(n) + '_' + snake(label), [num],
                     '%s label %s' % (n, label))
    for n, v in nodes.items():
        if v['nodetype'] == 'table':
            cols = entries[v['oid'] + '.1']
            acc = [c for c, a in cols if a != 'noaccess']
            need(snake(n) + '_MIN_COL', [min(acc)], n + ' first column')
            need(snake(n) + '_MAX_COL', [max(acc)], n + ' last column')
    for n, v in mib['typedefs'].items():
        for label, num in named_numbers(v).items():
            need(snake(n) + '_' + snake(label), [num],
                 'type %s label %s' % (n, label))
        rng = v.get('range')
        if rng:
            # optional: only checked if present
            want.setdefault(snake(n) + '_MIN',
                            ([int(rng['min'])], 'type %s min' % n))
            want.setdefault(snake(n) + '_MAX',
                            ([int(rng['max'])], 'type %s max' % n))

    # 2. every macro of oids.h is right
    bad = []
    checked = 0
    for name, (value, ln) in sorted(objs.items(), key=lambda x: x[1][1]):
        if value == '' and name.endswith('_H'):
            continue        # include guard
        if name in FORMULA:
            continue
        if name not in want:
            bad.append('oids.h:%d: %s is no name of the MIB' % (ln, name))
            continue
        try:
            got = expand(name, objs)
        except ValueError as e:
            bad.append('oids.h:%d: %s' % (ln, e))
            continue
        checked += 1
        if got != want[name][0]:
            bad.append('oids.h:%d: %s is %s, the MIB says %s (%s)' %
                       (ln, name, '.'.join(map(str, got)),
                        '.'.join(map(str, want[name][0])), want[name][1]))
    if bad:
        not_ok('every oids.h name has its value in the MIB', bad)
    else:
        ok('all %d oids.h names have their values in the MIB' % checked)

    # 3. nothing of the MIB is missing from oids.h
    missing = ['%s (%s)' % (name, what) for name, (value, what)
               in sorted(want.items())
               if name not in objs and not name.endswith(('_MIN', '_MAX'))]
    if missing:
        not_ok('every object, notification and label of the MIB has its '
               'oids.h name', missing)
    else:
        ok('every object, notification and label of the MIB has its '
           'oids.h name')
    for f in sorted(funcs):
        print('# function-like macro %s: checked by oids_check.c' % f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
