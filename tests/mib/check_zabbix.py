#!/usr/bin/env python3
"""Check the Zabbix template etc/zabbix/bmcwatch_snmp.yaml against
BMCWATCH-MIB.

    check_zabbix.py TEMPLATE_YAML SMIDUMP_PY

SMIDUMP_PY is `smidump -f python BMCWATCH-MIB`; snmptranslate (net-snmp,
with MIBDIRS/MIBS set to load the MIB) resolves every OID independently.
Prints "ok - ..." / "not ok - ..." lines; exits 1 on a failure.

Checks: Zabbix 6.0 export format (version, UUIDv4 uuids, unique keys);
every SNMP OID is a scalar instance (items) or a column of a table with
the index the discovery rule walks (prototypes, discovery[] keys); every
LLD macro used is discovered; every trigger refers to its own item in
this template and compares it with values of the object's enumeration;
every value map is the enumeration of the objects that use it.
"""
import ast
import re
import subprocess
import sys

import yaml

failures = 0


def result(good, msg, details=()):
    global failures
    if good:
        print('ok - ' + msg)
        return
    failures += 1
    print('not ok - ' + msg)
    for d in list(details)[:30]:
        print('#   ' + d)


def load_smidump(path):
    text = open(path).read()
    return ast.literal_eval(text[text.index('MIB = ') + len('MIB = '):])


def enum_of(mib, node):
    """{number: label} of an object's enumeration (own or via its TC),
    TruthValue included; None if it has none"""
    syn = node['syntax']['type']
    if 'name' in syn:
        if syn['name'] == 'TruthValue':
            return {1: 'true', 2: 'false'}
        syn = mib['typedefs'].get(syn['name'], {})
    if syn.get('basetype') != 'Enumeration':
        return None
    return {int(v['number']): k for k, v in syn.items()
            if isinstance(v, dict) and v.get('nodetype') == 'namednumber'}


def main():
    doc = yaml.safe_load(open(sys.argv[1]))
    mib = load_smidump(sys.argv[2])
    nodes = mib['nodes']
    by_oid = {v['oid']: (n, v) for n, v in nodes.items()}

    ex = doc.get('zabbix_export', {})
    result(ex.get('version') == '6.0' and len(ex.get('templates', [])) == 1,
           'a Zabbix 6.0 export of one template')
    tpl = ex['templates'][0]
    tname = tpl['template']

    # every uuid: UUIDv4 as Zabbix wants it (32 hex digits), unique
    uuids = []

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k == 'uuid':
                    uuids.append(v)
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(doc)
    v4 = re.compile(r'^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$')
    bad = [u for u in uuids if not v4.match(str(u))]
    dup = sorted({u for u in uuids if uuids.count(u) > 1})
    result(uuids and not bad and not dup,
           'all %d uuids are distinct UUIDv4' % len(uuids),
           ['not UUIDv4: %s' % u for u in bad] +
           ['twice: %s' % u for u in dup])

    items = tpl.get('items', [])
    rules = tpl.get('discovery_rules', [])
    protos = [(r, p) for r in rules for p in r.get('item_prototypes', [])]
    keys = [i['key'] for i in items] + [r['key'] for r in rules] + \
        [p['key'] for _, p in protos]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    result(not dup, 'all %d item, rule and prototype keys are distinct' %
           len(keys), dup)

    # snmptranslate: every OID of the template is a BMCWATCH-MIB name
    oids = set()
    for i in items:
        oids.add(i['snmp_oid'])
    for r, p in protos:
        oids.add(p['snmp_oid'].replace('.{#SNMPINDEX}', ''))
    for r in rules:
        for o in re.findall(r',([0-9.]+)', r['snmp_oid']):
            oids.add(o)
    unresolved = []
    for o in sorted(oids):
        out = subprocess.run(['snmptranslate', '.' + o],
                             capture_output=True, text=True)
        name = out.stdout.strip()
        m = re.fullmatch(r'BMCWATCH-MIB::(\w+)(\.0)?', name)
        if out.returncode or out.stderr or not m or m.group(1) not in nodes:
            unresolved.append('%s -> %r %s' % (o, name, out.stderr.strip()))
    result(oids and not unresolved,
           'snmptranslate resolves all %d OIDs of the template to '
           'BMCWATCH-MIB objects' % len(oids), unresolved)

    problems = []
    # items: scalar instances
    for i in items:
        n, v = by_oid.get(i['snmp_oid'][:-2], (None, None)) \
            if i['snmp_oid'].endswith('.0') else (None, None)
        if i.get('type') != 'SNMP_AGENT' or not v or \
                v['nodetype'] != 'scalar':
            problems.append('item %s: %s is no scalar instance' %
                            (i['key'], i['snmp_oid']))
    # rules: discovery[{#M},OID,...] over columns of one indexing
    rule_macros, rule_index = {}, {}
    for r in rules:
        m = re.fullmatch(r'discovery\[(.*)\]', r['snmp_oid'])
        parts = m.group(1).split(',') if m else []
        if not m or len(parts) % 2:
            problems.append('rule %s: bad key %s' % (r['key'], r['snmp_oid']))
            continue
        macros = set()
        idx = set()
        for mac, oid in zip(parts[0::2], parts[1::2]):
            n, v = by_oid.get(oid, (None, None))
            if not re.fullmatch(r'\{#[A-Z0-9_.]+\}', mac) or not v or \
                    v['nodetype'] != 'column':
                problems.append('rule %s: %s,%s is no macro and column' %
                                (r['key'], mac, oid))
                continue
            macros.add(mac)
            row = by_oid[oid.rsplit('.', 1)[0]][1]
            idx.add(tuple(x['name'] if isinstance(x, dict) else x
                          for x in row['linkage']))
        if len(idx) != 1:
            problems.append('rule %s: columns of differently indexed tables'
                            % r['key'])
        rule_macros[r['key']] = macros | {'{#SNMPINDEX}'}
        rule_index[r['key']] = idx.pop() if idx else None
        for c in r.get('filter', {}).get('conditions', []):
            if c['macro'] not in macros:
                problems.append('rule %s: filter on undiscovered %s' %
                                (r['key'], c['macro']))
    # prototypes: columns indexed as the rule's table, known macros
    for r, p in protos:
        o = p['snmp_oid']
        n, v = by_oid.get(o[:-len('.{#SNMPINDEX}')], (None, None)) \
            if o.endswith('.{#SNMPINDEX}') else (None, None)
        if not v or v['nodetype'] != 'column':
            problems.append('prototype %s: %s is no column.{#SNMPINDEX}' %
                            (p['key'], o))
            continue
        row = by_oid[v['oid'].rsplit('.', 1)[0]][1]
        idx = tuple(x['name'] if isinstance(x, dict) else x
                    for x in row['linkage'])
        if idx != rule_index.get(r['key']):
            problems.append('prototype %s: %s is indexed by %s, rule %s by '
                            '%s' % (p['key'], n, idx, r['key'],
                                    rule_index.get(r['key'])))
        used = set(re.findall(r'\{#[A-Z0-9_.]+\}', yaml.safe_dump(p)))
        if used - rule_macros.get(r['key'], set()):
            problems.append('prototype %s: undiscovered %s' %
                            (p['key'], sorted(used - rule_macros[r['key']])))
    result(not problems, 'items read scalars; prototypes read columns '
           'indexed like their rule\'s table, with discovered macros only',
           problems)

    # triggers and value maps against the MIB's enumerations
    vmaps = {m['name']: {int(x['value']): x['newvalue']
                         for x in m['mappings']}
             for m in tpl.get('valuemaps', [])}
    problems = []
    ntrig = 0
    for it, trigs in [(i, i.get('triggers', [])) for i in items] + \
            [(p, p.get('trigger_prototypes', [])) for _, p in protos]:
        oid = re.sub(r'\.(0|\{#SNMPINDEX\})$', '', it['snmp_oid'])
        n, v = by_oid.get(oid, (None, {}))
        en = enum_of(mib, v) if v else None
        if 'valuemap' in it:
            vm = vmaps.get(it['valuemap']['name'])
            if vm is None or vm != en:
                problems.append('%s: value map %s is not the enumeration '
                                'of %s %s' % (it['key'],
                                              it['valuemap']['name'], n, en))
        elif en:
            problems.append('%s: enumerated %s without a value map' %
                            (it['key'], n))
        for t in trigs:
            ntrig += 1
            refs = re.findall(r'\(/([^/]+)/([^,)]+)', t['expression'])
            if not refs or any(tn != tname or k != it['key']
                               for tn, k in refs):
                problems.append('trigger %r refers to %s, not /%s/%s' %
                                (t['name'], refs, tname, it['key']))
            for cmp in re.findall(r'last\([^)]*\)\s*=\s*(-?\d+)',
                                  t['expression']):
                if en is None or int(cmp) not in en:
                    problems.append('trigger %r compares %s with %s, no '
                                    'value of its enumeration %s' %
                                    (t['name'], n, cmp, en))
    result(ntrig > 0 and not problems,
           '%d triggers refer to their own items and to values the MIB '
           'defines; value maps are the MIB\'s enumerations' % ntrig,
           problems)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
