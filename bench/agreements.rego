# A Rego rendering of a representative SUBSET of s75lint's shipped rules, for the benchmark
# (bench/run times regorus evaluating it against s75lint on the same agreements). It is not a
# port: s75lint has 43 rules with spans, placeholders, unknown-key and type checks, dates against
# today and rendered findings; this has the checks below, written as a Rego user would.
#
#   S75-PARTIES        a local authority and an NHS body among the partners
#   S75-SIGNED         every partner has signed once signed/varied; every signature is dated
#   S75-HOST           every pool names a host, and the host is a partner
#   S75-POOL-MANAGER   every hosted pool has a pool manager from the host partner
#   S75-CONTRIBUTIONS  every pool states contributions and how they vary, and every contributing
#                      partner contributes in every financial year from commencement to end
#   FIN-POOLED-TOTAL   a pool's stated total for a year equals that year's contributions
#   S75-AIMS-OUTCOMES  every scheme states aims and outcomes
#   S75-EXIT-STRATEGY  the agreement sets out an exit strategy
#
# Input (bench_floor to-json): {"agreements": {"<path>": <agreement as JSON>, ...}}.
# Query: data.s75.findings (a set of "<path>: <message>" strings).
package s75

import rego.v1

nhs_kinds := {"icb", "nhs_trust", "nhs_foundation_trust", "nhs_england", "care_trust", "ccg", "pct"}

# "£41,920,000" -> 41920000
money(s) := to_number(replace(replace(s, "£", ""), ",", ""))

# The financial year (April to March) a date "YYYY-MM-DD" falls in, as its first calendar year.
fy_start(d) := y if {
	parts := split(d, "-")
	parts[1] >= "04"
	y := to_number(parts[0])
}

fy_start(d) := y if {
	parts := split(d, "-")
	parts[1] < "04"
	y := to_number(parts[0]) - 1
}

fy_label(y) := sprintf("%d-%02d", [y, (y + 1) % 100])

years(a) := {fy_label(y) | some y in numbers.range(fy_start(a.commencement), fy_start(a.end))}

findings contains sprintf("%s: S75-PARTIES: no partner is a local authority", [path]) if {
	some path, a in input.agreements
	not any_kind(a, {"local_authority"})
}

findings contains sprintf("%s: S75-PARTIES: no partner is an NHS body", [path]) if {
	some path, a in input.agreements
	not any_kind(a, nhs_kinds)
}

any_kind(a, kinds) if {
	some p in a.partners
	kinds[p.kind]
}

findings contains sprintf("%s: S75-SIGNED: %s has not signed this agreement", [path, p.name]) if {
	some path, a in input.agreements
	a.status in {"signed", "varied"}
	some p in a.partners
	not signed_by(a, p.id)
}

signed_by(a, id) if {
	some s in a.signatures
	s.partner == id
}

findings contains sprintf("%s: S75-SIGNED: a signature for %s has no date", [path, s.partner]) if {
	some path, a in input.agreements
	some s in a.signatures
	not s.date
}

findings contains sprintf("%s: S75-HOST: pool %s names no host partner", [path, pool.id]) if {
	some path, a in input.agreements
	some pool in a.pools
	not pool.host
}

findings contains sprintf("%s: S75-HOST: pool %s's host %s is not a partner", [path, pool.id, pool.host]) if {
	some path, a in input.agreements
	some pool in a.pools
	pool.host
	not partner_ids(a)[pool.host]
}

partner_ids(a) := {p.id | some p in a.partners}

findings contains sprintf("%s: S75-POOL-MANAGER: pool %s names no pool manager from its host", [path, pool.id]) if {
	some path, a in input.agreements
	some pool in a.pools
	pool.host
	not pool.pool_manager.partner == pool.host
}

findings contains sprintf("%s: S75-CONTRIBUTIONS: pool %s states no contributions", [path, pool.id]) if {
	some path, a in input.agreements
	some pool in a.pools
	count(object.get(pool, "contributions", [])) == 0
}

findings contains sprintf("%s: S75-CONTRIBUTIONS: pool %s does not say how contributions vary", [path, pool.id]) if {
	some path, a in input.agreements
	some pool in a.pools
	not pool.contribution_variation
}

findings contains sprintf("%s: S75-CONTRIBUTIONS: pool %s states no contribution from %s for %s", [path, pool.id, partner, year]) if {
	some path, a in input.agreements
	some pool in a.pools
	contributors := {c.partner | some c in pool.contributions; money(c.amount) > 0}
	some partner in contributors
	some year in years(a)
	not contributes(pool, partner, year)
}

contributes(pool, partner, year) if {
	some c in pool.contributions
	c.partner == partner
	c.year == year
}

findings contains sprintf("%s: FIN-POOLED-TOTAL: pool %s's total for %s is not its contributions", [path, pool.id, year]) if {
	some path, a in input.agreements
	some pool in a.pools
	some year, total in pool.pooled_total
	money(total) != sum([money(c.amount) | some c in pool.contributions; c.year == year])
}

findings contains sprintf("%s: S75-AIMS-OUTCOMES: scheme %s states no %s", [path, scheme.id, field]) if {
	some path, a in input.agreements
	some scheme in a.schemes
	some field in ["aims", "outcomes"]
	count(object.get(scheme, field, [])) == 0
}

findings contains sprintf("%s: S75-EXIT-STRATEGY: the agreement has no exit strategy", [path]) if {
	some path, a in input.agreements
	not a.exit_strategy
}
