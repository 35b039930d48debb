package deploy_test

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// tfModule is the parsed deploy/aws directory. Nothing is planned or applied: the checks
// read the configuration the way a reviewer would, evaluating only literals and
// variable defaults; references to other resources stay unknown.
type tfModule struct {
	resources map[string]map[string]*hclsyntax.Block // type -> name -> block
	data      map[string]map[string]*hclsyntax.Block
	variables map[string]*hclsyntax.Block
	locals    map[string]hclsyntax.Expression
	ctx       *hcl.EvalContext // var.* = defaults, plus the few functions validations use
}

func loadTerraform(t *testing.T, dir string) *tfModule {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no .tf files in %s (%v)", dir, err)
	}
	m := &tfModule{
		resources: map[string]map[string]*hclsyntax.Block{},
		data:      map[string]map[string]*hclsyntax.Block{},
		variables: map[string]*hclsyntax.Block{},
		locals:    map[string]hclsyntax.Expression{},
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// hclsyntax alone: the native syntax is all Terraform files use
		// (hclparse would add the JSON variant we never ship).
		f, diags := hclsyntax.ParseConfig(src, p, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("parse %s: %s", filepath.Base(p), diags.Error())
		}
		body := f.Body.(*hclsyntax.Body)
		for _, b := range body.Blocks {
			switch b.Type {
			case "resource", "data":
				if len(b.Labels) != 2 {
					t.Fatalf("%s: %s block with labels %v", filepath.Base(p), b.Type, b.Labels)
				}
				target := m.resources
				if b.Type == "data" {
					target = m.data
				}
				if target[b.Labels[0]] == nil {
					target[b.Labels[0]] = map[string]*hclsyntax.Block{}
				}
				if _, dup := target[b.Labels[0]][b.Labels[1]]; dup {
					t.Fatalf("duplicate %s %s.%s", b.Type, b.Labels[0], b.Labels[1])
				}
				target[b.Labels[0]][b.Labels[1]] = b
			case "variable":
				m.variables[b.Labels[0]] = b
			case "locals":
				for name, a := range b.Body.Attributes {
					m.locals[name] = a.Expr
				}
			}
		}
	}
	vars := map[string]cty.Value{}
	for name, b := range m.variables {
		if a, ok := b.Body.Attributes["default"]; ok {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("variable %s default: %s", name, diags.Error())
			}
			vars[name] = v
		} else {
			vars[name] = cty.DynamicVal
		}
	}
	m.ctx = &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)},
		Functions: map[string]function.Function{
			"can":    tryfunc.CanFunc,
			"regex":  stdlib.RegexFunc,
			"length": stdlib.LengthFunc,
		},
	}
	return m
}

// eval evaluates expr with variable defaults; ok is false when it depends on anything
// else (another resource's attributes, each.*, locals).
func (m *tfModule) eval(expr hcl.Expression, extra map[string]cty.Value) (cty.Value, bool) {
	ctx := m.ctx
	if extra != nil {
		ctx = m.ctx.NewChild()
		ctx.Variables = extra
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return cty.DynamicVal, false
	}
	return v, true
}

func (m *tfModule) attr(b *hclsyntax.Block, name string) (hclsyntax.Expression, bool) {
	a, ok := b.Body.Attributes[name]
	if !ok {
		return nil, false
	}
	return a.Expr, true
}

// literal returns an attribute's value when it is a constant or depends only on
// variable defaults.
func (m *tfModule) literal(b *hclsyntax.Block, name string) (cty.Value, bool) {
	e, ok := m.attr(b, name)
	if !ok {
		return cty.NilVal, false
	}
	return m.eval(e, nil)
}

func (m *tfModule) isTrue(b *hclsyntax.Block, name string) bool {
	v, ok := m.literal(b, name)
	return ok && v.Type() == cty.Bool && v.True()
}

func (m *tfModule) isFalse(b *hclsyntax.Block, name string) bool {
	v, ok := m.literal(b, name)
	return ok && v.Type() == cty.Bool && v.False()
}

func (m *tfModule) str(b *hclsyntax.Block, name string) string {
	v, ok := m.literal(b, name)
	if !ok || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// refs lists the references in expr as "root.attr" strings (e.g. "aws_s3_bucket.media",
// "var.region", "local.buckets", "each.value"), following local.* one level down so a
// for_each over local.buckets counts as referring to the buckets it lists.
func (m *tfModule) refs(expr hcl.Expression) []string {
	var out []string
	for _, tr := range expr.Variables() {
		root := tr.RootName()
		name := root
		if len(tr) > 1 {
			if a, ok := tr[1].(hcl.TraverseAttr); ok {
				name = root + "." + a.Name
			}
		}
		out = append(out, name)
		if root == "data" && len(tr) > 2 {
			if a, ok := tr[2].(hcl.TraverseAttr); ok {
				out = append(out, name+"."+a.Name)
			}
		}
		if root == "local" && len(tr) > 1 {
			if a, ok := tr[1].(hcl.TraverseAttr); ok {
				if le, ok := m.locals[a.Name]; ok {
					out = append(out, m.refs(le)...)
				}
			}
		}
	}
	return out
}

func (m *tfModule) refersTo(expr hcl.Expression, target string) bool {
	for _, r := range m.refs(expr) {
		if r == target {
			return true
		}
	}
	return false
}

// blockRefersTo reports whether attribute attrName of b, or b's for_each, refers to target.
func (m *tfModule) blockRefersTo(b *hclsyntax.Block, attrName, target string) bool {
	if e, ok := m.attr(b, attrName); ok && m.refersTo(e, target) {
		if !m.refersTo(e, "each.value") && !m.refersTo(e, "each.key") {
			return true
		}
	}
	if fe, ok := m.attr(b, "for_each"); ok && m.refersTo(fe, target) {
		return true
	}
	return false
}

func nested(b *hclsyntax.Block, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, c := range b.Body.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

var requiredResources = map[string]int{
	"aws_vpc": 1, "aws_subnet": 2, "aws_internet_gateway": 1, "aws_route_table": 2,
	"aws_instance": 1, "aws_iam_role": 1, "aws_iam_instance_profile": 1, "aws_iam_role_policy": 1,
	"aws_security_group": 2, "aws_db_instance": 1, "aws_db_subnet_group": 1,
	"aws_s3_bucket": 1, "aws_s3_bucket_public_access_block": 1, "aws_s3_bucket_versioning": 1,
	"aws_s3_bucket_server_side_encryption_configuration": 1, "aws_s3_bucket_lifecycle_configuration": 1,
	"aws_kms_key": 1, "aws_kms_alias": 1,
	"aws_cloudwatch_log_group": 1, "aws_cloudwatch_log_metric_filter": 3, "aws_cloudwatch_metric_alarm": 7,
	"aws_sns_topic": 1, "aws_sns_topic_subscription": 1,
}

// checkTerraform returns every problem found; an empty list means the configuration
// meets the security and completeness rules of issue 8.
func checkTerraform(m *tfModule) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	for typ, n := range requiredResources {
		if len(m.resources[typ]) < n {
			bad("need at least %d %s resource(s), found %d", n, typ, len(m.resources[typ]))
		}
	}
	checkSubnets(m, bad)
	checkSecurityGroups(m, bad)
	checkSSHVariable(m, bad)
	checkBuckets(m, bad)
	checkRDS(m, bad)
	checkIAM(m, bad)
	checkKMSAndInstance(m, bad)
	checkAlarms(m, bad)
	sort.Strings(problems)
	return problems
}

func checkSubnets(m *tfModule, bad func(string, ...any)) {
	if m.resources["aws_subnet"]["public"] == nil || m.resources["aws_subnet"]["private"] == nil {
		bad("need aws_subnet.public and aws_subnet.private")
		return
	}
	if m.isTrue(m.resources["aws_subnet"]["private"], "map_public_ip_on_launch") {
		bad("private subnets must not assign public IPs")
	}
}

// ingressRule is one ingress permission with its evaluated ports and CIDRs.
type ingressRule struct {
	where      string
	from, to   int64
	portsKnown bool
	cidrs      []string
	sgRefs     bool // allows traffic from security groups
}

func (m *tfModule) ingressFrom(where string, b *hclsyntax.Block, extra map[string]cty.Value) ingressRule {
	r := ingressRule{where: where}
	fromV, ok1 := m.evalAttr(b, "from_port", extra)
	toV, ok2 := m.evalAttr(b, "to_port", extra)
	if ok1 && ok2 && fromV.Type() == cty.Number && toV.Type() == cty.Number {
		r.from, _ = fromV.AsBigFloat().Int64()
		r.to, _ = toV.AsBigFloat().Int64()
		r.portsKnown = true
	}
	if proto, ok := m.evalAttr(b, "protocol", extra); ok && proto.Type() == cty.String && (proto.AsString() == "-1" || proto.AsString() == "all") {
		r.from, r.to, r.portsKnown = 0, 65535, true
	}
	for _, name := range []string{"cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"} {
		v, ok := m.evalAttr(b, name, extra)
		if _, present := b.Body.Attributes[name]; present && !ok {
			// A CIDR we cannot evaluate could be anything: treat it as the world.
			r.cidrs = append(r.cidrs, "unknown:"+name)
			continue
		}
		if !ok || v.IsNull() {
			continue
		}
		if v.Type() == cty.String {
			r.cidrs = append(r.cidrs, v.AsString())
			continue
		}
		if v.CanIterateElements() {
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				if e.Type() == cty.String {
					r.cidrs = append(r.cidrs, e.AsString())
				}
			}
		}
	}
	for _, name := range []string{"security_groups", "source_security_group_id", "referenced_security_group_id"} {
		if _, ok := b.Body.Attributes[name]; ok {
			r.sgRefs = true
		}
	}
	return r
}

func (m *tfModule) evalAttr(b *hclsyntax.Block, name string, extra map[string]cty.Value) (cty.Value, bool) {
	e, ok := m.attr(b, name)
	if !ok {
		return cty.NilVal, false
	}
	return m.eval(e, extra)
}

func (m *tfModule) allIngress(bad func(string, ...any)) []ingressRule {
	var rules []ingressRule
	for name, sg := range m.resources["aws_security_group"] {
		for _, in := range nested(sg, "ingress") {
			rules = append(rules, m.ingressFrom("aws_security_group."+name, in, nil))
		}
		for _, dyn := range nested(sg, "dynamic") {
			if len(dyn.Labels) != 1 || dyn.Labels[0] != "ingress" {
				continue
			}
			iter := "ingress"
			if e, ok := m.attr(dyn, "iterator"); ok {
				iter = hcl.ExprAsKeyword(e)
			}
			fe, _ := m.attr(dyn, "for_each")
			values, ok := m.eval(fe, nil)
			contents := nested(dyn, "content")
			if !ok || len(contents) != 1 {
				bad("aws_security_group.%s: dynamic ingress whose for_each cannot be evaluated from variable defaults", name)
				continue
			}
			for it := values.ElementIterator(); it.Next(); {
				k, v := it.Element()
				extra := map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
				rules = append(rules, m.ingressFrom("aws_security_group."+name+" (dynamic)", contents[0], extra))
			}
		}
	}
	for name, r := range m.resources["aws_security_group_rule"] {
		if t := m.str(r, "type"); t == "ingress" || t == "" {
			rules = append(rules, m.ingressFrom("aws_security_group_rule."+name, r, nil))
		}
	}
	for name, r := range m.resources["aws_vpc_security_group_ingress_rule"] {
		rules = append(rules, m.ingressFrom("aws_vpc_security_group_ingress_rule."+name, r, nil))
	}
	return rules
}

func isWorld(cidr string) bool {
	if strings.HasPrefix(cidr, "unknown:") {
		return true
	}
	p, err := netip.ParsePrefix(cidr)
	return err == nil && p.Bits() == 0
}

func checkSecurityGroups(m *tfModule, bad func(string, ...any)) {
	rules := m.allIngress(bad)
	dbRules := 0
	for _, r := range rules {
		for _, port := range []int64{22, 3306} {
			covers := !r.portsKnown || (r.from <= port && port <= r.to)
			if !covers {
				continue
			}
			for _, c := range r.cidrs {
				if isWorld(c) {
					bad("%s opens port %d to %s", r.where, port, c)
				}
			}
		}
		if r.portsKnown && r.from <= 3306 && 3306 <= r.to {
			dbRules++
			if len(r.cidrs) > 0 {
				bad("%s allows 3306 from CIDRs %v; only the app's security group may reach MySQL", r.where, r.cidrs)
			}
		}
	}
	db := m.resources["aws_security_group"]["db"]
	if db == nil {
		bad("no aws_security_group.db for RDS")
	} else {
		ok := false
		for _, in := range nested(db, "ingress") {
			if e, has := m.attr(in, "security_groups"); has && m.refersTo(e, "aws_security_group.web") {
				ok = true
			}
		}
		if !ok {
			bad("aws_security_group.db must allow 3306 from aws_security_group.web")
		}
	}
	if dbRules == 0 {
		bad("no ingress rule for MySQL 3306 at all")
	}
}

// checkSSHVariable evaluates the ssh_ingress_cidr validation for hostile values.
func checkSSHVariable(m *tfModule, bad func(string, ...any)) {
	v := m.variables["ssh_ingress_cidr"]
	if v == nil {
		bad("no variable ssh_ingress_cidr")
		return
	}
	if def, ok := m.literal(v, "default"); !ok || def.AsString() != "" {
		bad("ssh_ingress_cidr must default to empty (SSH closed)")
	}
	vals := nested(v, "validation")
	if len(vals) == 0 {
		bad("variable ssh_ingress_cidr has no validation")
		return
	}
	cond, _ := m.attr(vals[0], "condition")
	try := func(value string) (bool, bool) {
		ctx := &hcl.EvalContext{
			Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{"ssh_ingress_cidr": cty.StringVal(value)})},
			Functions: m.ctx.Functions,
		}
		res, diags := cond.Value(ctx)
		if diags.HasErrors() || res.Type() != cty.Bool || !res.IsKnown() {
			return false, false
		}
		return res.True(), true
	}
	for _, hostile := range []string{"0.0.0.0/0", "::/0", "0.0.0.0/1", "10.0.0.0/8", "1.2.3.4", "1.2.3.4/32\n"} {
		if ok, evaluated := try(hostile); !evaluated || ok {
			bad("ssh_ingress_cidr validation accepts %q (or cannot be evaluated)", hostile)
		}
	}
	for _, fine := range []string{"", "203.0.113.7/32", "198.51.100.0/24"} {
		if ok, evaluated := try(fine); !evaluated || !ok {
			bad("ssh_ingress_cidr validation rejects %q", fine)
		}
	}
}

func checkBuckets(m *tfModule, bad func(string, ...any)) {
	for name := range m.resources["aws_s3_bucket"] {
		target := "aws_s3_bucket." + name
		var pab *hclsyntax.Block
		for _, b := range m.resources["aws_s3_bucket_public_access_block"] {
			if m.blockRefersTo(b, "bucket", target) {
				pab = b
			}
		}
		if pab == nil {
			bad("%s has no public access block", target)
		} else {
			for _, flag := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
				if !m.isTrue(pab, flag) {
					bad("%s public access block: %s must be true", target, flag)
				}
			}
		}
		found := func(typ string, check func(*hclsyntax.Block) bool) bool {
			for _, b := range m.resources[typ] {
				if m.blockRefersTo(b, "bucket", target) && check(b) {
					return true
				}
			}
			return false
		}
		if !found("aws_s3_bucket_versioning", func(b *hclsyntax.Block) bool {
			for _, vc := range nested(b, "versioning_configuration") {
				if m.str(vc, "status") == "Enabled" {
					return true
				}
			}
			return false
		}) {
			bad("%s: versioning not enabled", target)
		}
		if !found("aws_s3_bucket_server_side_encryption_configuration", func(b *hclsyntax.Block) bool {
			for _, rule := range nested(b, "rule") {
				for _, d := range nested(rule, "apply_server_side_encryption_by_default") {
					if alg := m.str(d, "sse_algorithm"); alg == "aws:kms" || alg == "aws:kms:dsse" {
						return true
					}
				}
			}
			return false
		}) {
			bad("%s: not encrypted with KMS", target)
		}
		if !found("aws_s3_bucket_lifecycle_configuration", func(b *hclsyntax.Block) bool {
			for _, rule := range nested(b, "rule") {
				if len(nested(rule, "noncurrent_version_expiration")) > 0 && m.str(rule, "status") == "Enabled" {
					return true
				}
			}
			return false
		}) {
			bad("%s: no lifecycle rule expiring old versions", target)
		}
		if acl := m.str(m.resources["aws_s3_bucket"][name], "acl"); acl != "" && acl != "private" {
			bad("%s: acl %q", target, acl)
		}
	}
	for name := range m.resources["aws_s3_bucket_acl"] {
		bad("aws_s3_bucket_acl.%s: ACLs are disabled (BucketOwnerEnforced); do not add any", name)
	}
}

func checkRDS(m *tfModule, bad func(string, ...any)) {
	for name, db := range m.resources["aws_db_instance"] {
		where := "aws_db_instance." + name
		if !m.isTrue(db, "storage_encrypted") {
			bad("%s: storage_encrypted must be true", where)
		}
		if e, ok := m.attr(db, "kms_key_id"); !ok || !m.refersTo(e, "aws_kms_key.main") {
			bad("%s: must be encrypted with our KMS key (kms_key_id)", where)
		}
		if !m.isFalse(db, "publicly_accessible") {
			bad("%s: publicly_accessible must be false", where)
		}
		if !m.isTrue(db, "deletion_protection") {
			bad("%s: deletion_protection must be true", where)
		}
		if v, ok := m.literal(db, "backup_retention_period"); !ok || v.Type() != cty.Number || v.LessThan(cty.NumberIntVal(1)).True() {
			bad("%s: automated backups must be on (backup_retention_period >= 1)", where)
		}
		if e, ok := m.attr(db, "multi_az"); !ok || !m.refersTo(e, "var.db_multi_az") {
			bad("%s: multi_az must come from a variable", where)
		}
		if m.str(db, "engine") != "mysql" || !strings.HasPrefix(m.str(db, "engine_version"), "8.") {
			bad("%s: want engine mysql 8.x, got %q %q", where, m.str(db, "engine"), m.str(db, "engine_version"))
		}
		if e, ok := m.attr(db, "vpc_security_group_ids"); !ok || !m.refersTo(e, "aws_security_group.db") {
			bad("%s: must use aws_security_group.db", where)
		}
		if e, ok := m.attr(db, "db_subnet_group_name"); !ok || !m.refersTo(e, "aws_db_subnet_group.main") {
			bad("%s: must use the private subnet group", where)
		}
		if m.isTrue(db, "skip_final_snapshot") {
			bad("%s: skip_final_snapshot must be false", where)
		}
	}
	for name, sg := range m.resources["aws_db_subnet_group"] {
		if e, ok := m.attr(sg, "subnet_ids"); !ok || !m.refersTo(e, "aws_subnet.private") || m.refersTo(e, "aws_subnet.public") {
			bad("aws_db_subnet_group.%s: must list only the private subnets", name)
		}
	}
}

// keyPolicyDocs are policy documents used as KMS key policies, where "*" as a resource
// means "this key" and is the only valid value.
func (m *tfModule) keyPolicyDocs() map[string]bool {
	out := map[string]bool{}
	for _, k := range m.resources["aws_kms_key"] {
		if e, ok := m.attr(k, "policy"); ok {
			for _, r := range m.refs(e) {
				if strings.HasPrefix(r, "data.") {
					out[strings.TrimPrefix(r, "data.")] = true
				}
			}
		}
	}
	return out
}

func checkIAM(m *tfModule, bad func(string, ...any)) {
	// Every IAM policy must come from a policy document, so every statement is checked here.
	for _, typ := range []string{"aws_iam_role_policy", "aws_iam_policy", "aws_s3_bucket_policy"} {
		for name, p := range m.resources[typ] {
			e, ok := m.attr(p, "policy")
			if !ok || !m.refersTo(e, "data.aws_iam_policy_document") {
				bad("%s.%s: policy must be a data.aws_iam_policy_document", typ, name)
			}
		}
	}
	for name := range m.resources["aws_iam_role_policy_attachment"] {
		bad("aws_iam_role_policy_attachment.%s: managed policies are not allowed on the instance role (least privilege)", name)
	}
	if len(m.data["aws_iam_policy_document"]) == 0 {
		bad("no data.aws_iam_policy_document")
	}
	keyDocs := m.keyPolicyDocs()
	for docName, doc := range m.data["aws_iam_policy_document"] {
		if keyDocs["aws_iam_policy_document."+docName] {
			continue
		}
		for i, st := range nested(doc, "statement") {
			where := fmt.Sprintf("policy document %s statement %d", docName, i)
			if sid := m.str(st, "sid"); sid != "" {
				where = fmt.Sprintf("policy document %s statement %s", docName, sid)
			}
			allow := m.str(st, "effect") != "Deny"
			var actions []string
			if v, ok := m.literal(st, "actions"); ok {
				for it := v.ElementIterator(); it.Next(); {
					_, a := it.Element()
					actions = append(actions, a.AsString())
				}
			}
			sensitive := false
			for _, a := range actions {
				if a == "*" || strings.HasPrefix(a, "s3:") || strings.HasPrefix(a, "kms:") {
					sensitive = true
				}
				if allow && (a == "*" || strings.HasSuffix(a, ":*")) {
					bad("%s allows wildcard action %q", where, a)
				}
			}
			resExpr, hasRes := m.attr(st, "resources")
			if !sensitive {
				continue
			}
			if !hasRes {
				bad("%s: s3/kms actions %v without resources", where, actions)
				continue
			}
			for _, re := range resourceElements(resExpr) {
				if v, ok := m.eval(re, nil); ok {
					if v.Type() != cty.String || strings.Contains(v.AsString(), "*") {
						bad("%s: s3/kms actions %v on wildcard resource %s", where, actions, v.GoString())
					}
					continue
				}
				specific := false
				for _, r := range m.refs(re) {
					if strings.HasPrefix(r, "aws_") || r == "each.value" {
						specific = true
					}
				}
				if !specific {
					bad("%s: resource %s does not name one of our resources", where, exprText(re))
				}
			}
		}
	}
}

func resourceElements(e hclsyntax.Expression) []hclsyntax.Expression {
	if tup, ok := e.(*hclsyntax.TupleConsExpr); ok {
		return tup.Exprs
	}
	return []hclsyntax.Expression{e}
}

func exprText(e hclsyntax.Expression) string {
	r := e.Range()
	b, err := os.ReadFile(r.Filename)
	if err != nil || r.End.Byte > len(b) {
		return r.String()
	}
	return string(b[r.Start.Byte:r.End.Byte])
}

func checkKMSAndInstance(m *tfModule, bad func(string, ...any)) {
	for name, k := range m.resources["aws_kms_key"] {
		if !m.isTrue(k, "enable_key_rotation") {
			bad("aws_kms_key.%s: enable_key_rotation must be true", name)
		}
	}
	aliasOK := false
	for _, a := range m.resources["aws_kms_alias"] {
		if e, ok := m.attr(a, "target_key_id"); ok && m.refersTo(e, "aws_kms_key.main") && strings.HasPrefix(m.str(a, "name"), "alias/") {
			aliasOK = true
		}
	}
	if !aliasOK {
		bad("no aws_kms_alias for aws_kms_key.main")
	}
	for name, inst := range m.resources["aws_instance"] {
		where := "aws_instance." + name
		mo := nested(inst, "metadata_options")
		if len(mo) != 1 || m.str(mo[0], "http_tokens") != "required" {
			bad("%s: IMDSv2 must be required (metadata_options.http_tokens)", where)
		}
		rb := nested(inst, "root_block_device")
		if len(rb) != 1 || !m.isTrue(rb[0], "encrypted") {
			bad("%s: root volume must be encrypted", where)
		}
		if e, ok := m.attr(inst, "iam_instance_profile"); !ok || !m.refersTo(e, "aws_iam_instance_profile.instance") {
			bad("%s: must run with the instance profile", where)
		}
		_, ud := m.attr(inst, "user_data")
		_, ud64 := m.attr(inst, "user_data_base64")
		if !ud && !ud64 {
			bad("%s: no user data (cloud-init installs everything)", where)
		}
	}
}

// checkAlarms requires the alarms issue 8 lists, each notifying the SNS topic.
func checkAlarms(m *tfModule, bad func(string, ...any)) {
	metrics := map[string]bool{}
	for name, a := range m.resources["aws_cloudwatch_metric_alarm"] {
		ns := m.str(a, "namespace")
		if mn := m.str(a, "metric_name"); mn != "" {
			metrics[ns+"/"+mn] = true
		}
		for _, q := range nested(a, "metric_query") {
			for _, mt := range nested(q, "metric") {
				metrics[m.str(mt, "namespace")+"/"+m.str(mt, "metric_name")] = true
			}
		}
		e, ok := m.attr(a, "alarm_actions")
		if !ok || !m.refersTo(e, "aws_sns_topic.alarms") {
			bad("aws_cloudwatch_metric_alarm.%s does not notify aws_sns_topic.alarms", name)
		}
	}
	for _, want := range []string{
		"LostInNL/Nginx/Http5xx", "LostInNL/Nginx/RequestTime", "LostInNL/App/ReadyzOK",
		"AWS/EC2/CPUUtilization", "LostInNL/Host/mem_used_percent",
		"AWS/RDS/CPUUtilization", "AWS/RDS/FreeStorageSpace",
		"LostInNL/App/outbox_oldest_queued_age_seconds",
	} {
		if !metrics[want] {
			bad("no alarm on %s", want)
		}
	}
	subs := m.resources["aws_sns_topic_subscription"]
	emailOK := false
	for _, s := range subs {
		if e, ok := m.attr(s, "endpoint"); ok && m.refersTo(e, "var.alarm_email") && m.str(s, "protocol") == "email" {
			emailOK = true
		}
	}
	if !emailOK {
		bad("no email subscription driven by var.alarm_email")
	}
}

func awsDir(t *testing.T) string { return filepath.Join(deployDir(t), "aws") }

func TestTerraformMeetsSecurityRules(t *testing.T) {
	m := loadTerraform(t, awsDir(t))
	for _, p := range checkTerraform(m) {
		t.Error(p)
	}
}

// TestTerraformChecksCatchMistakes breaks the configuration in the ways the rules are
// about and requires checkTerraform to notice each one: a check that cannot fail checks
// nothing.
func TestTerraformChecksCatchMistakes(t *testing.T) {
	mutations := []struct {
		name, file, from, to, want string
	}{
		{"mysql open to the world", "network.tf", "security_groups = [aws_security_group.web.id]", `cidr_blocks = ["0.0.0.0/0"]`, "opens port 3306 to 0.0.0.0/0"},
		{"mysql open to ipv6 world", "network.tf", "security_groups = [aws_security_group.web.id]", `ipv6_cidr_blocks = ["::/0"]`, "opens port 3306 to ::/0"},
		{"ssh open to the world", "network.tf", `for_each = var.ssh_ingress_cidr == "" ? [] : [var.ssh_ingress_cidr]`, `for_each = ["0.0.0.0/0"]`, "opens port 22 to 0.0.0.0/0"},
		{"all ports open", "network.tf", "from_port        = 443\n    to_port          = 443\n    protocol         = \"tcp\"", "from_port        = 0\n    to_port          = 0\n    protocol         = \"-1\"", "opens port 22"},
		{"ssh default open", "variables.tf", "Empty (the default) keeps SSH closed.\"\n  type        = string\n  default     = \"\"", "Empty (the default) keeps SSH closed.\"\n  type        = string\n  default     = \"0.0.0.0/0\"", "ssh_ingress_cidr must default to empty"},
		{"ssh validation too loose", "variables.tf", "(1[6-9]|2[0-9]|3[0-2])", "([0-9]|[12][0-9]|3[0-2])", "validation accepts \"0.0.0.0/0\""},
		{"bucket public", "s3.tf", "restrict_public_buckets = true", "restrict_public_buckets = false", "restrict_public_buckets must be true"},
		{"bucket not versioned", "s3.tf", "status = \"Enabled\"\n  }\n}\n\nresource \"aws_s3_bucket_versioning\" \"artifacts\"", "status = \"Suspended\"\n  }\n}\n\nresource \"aws_s3_bucket_versioning\" \"artifacts\"", "aws_s3_bucket.media: versioning not enabled"},
		{"rds unencrypted", "rds.tf", "storage_encrypted     = true", "storage_encrypted     = false", "storage_encrypted must be true"},
		{"rds public", "rds.tf", "publicly_accessible    = false", "publicly_accessible    = true", "publicly_accessible must be false"},
		{"rds unprotected", "rds.tf", "deletion_protection       = true", "deletion_protection       = false", "deletion_protection must be true"},
		{"rds in public subnets", "rds.tf", "aws_subnet.private[*].id", "aws_subnet.public[*].id", "must list only the private subnets"},
		{"kms on every key", "iam.tf", "resources = [aws_kms_key.main.arn]", `resources = ["*"]`, "UseOurKey: s3/kms actions"},
		{"s3 on every bucket", "iam.tf", `resources = ["${aws_s3_bucket.media.arn}/*"]`, `resources = ["arn:aws:s3:::*"]`, "MediaObjects: s3/kms actions"},
		{"s3 wildcard action", "iam.tf", `actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]`, `actions   = ["s3:*"]`, "allows wildcard action \"s3:*\""},
		{"s3 via variable", "iam.tf", "resources = [aws_s3_bucket.media.arn]", "resources = [var.some_bucket_arn]", "does not name one of our resources"},
		{"inline policy", "iam.tf", "policy = data.aws_iam_policy_document.instance.json", `policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })`, "policy must be a data.aws_iam_policy_document"},
		{"no key rotation", "kms.tf", "enable_key_rotation     = true", "enable_key_rotation     = false", "enable_key_rotation must be true"},
		{"imdsv1", "ec2.tf", `http_tokens                 = "required"`, `http_tokens                 = "optional"`, "IMDSv2 must be required"},
		{"no readyz alarm", "cloudwatch.tf", `metric_name         = "ReadyzOK"`, `metric_name         = "Something"`, "no alarm on LostInNL/App/ReadyzOK"},
		{"alarm without topic", "cloudwatch.tf", "  alarm_actions       = local.alarm_actions\n  ok_actions          = local.alarm_actions\n}\n\nresource \"aws_cloudwatch_metric_alarm\" \"instance_status\"", "  alarm_actions       = []\n}\n\nresource \"aws_cloudwatch_metric_alarm\" \"instance_status\"", "does not notify aws_sns_topic.alarms"},
	}
	for _, mu := range mutations {
		t.Run(mu.name, func(t *testing.T) {
			dir := t.TempDir()
			files, err := filepath.Glob(filepath.Join(awsDir(t), "*.tf"))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if filepath.Base(f) == mu.file {
					if !strings.Contains(string(b), mu.from) {
						t.Fatalf("%s no longer contains %q; update this mutation", mu.file, mu.from)
					}
					b = []byte(strings.Replace(string(b), mu.from, mu.to, 1))
				}
				if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			problems := checkTerraform(loadTerraform(t, dir))
			for _, p := range problems {
				if strings.Contains(p, mu.want) {
					return
				}
			}
			t.Fatalf("breaking %s (%s) went unnoticed; want a problem containing %q, got %q", mu.file, mu.name, mu.want, problems)
		})
	}
}

// TestTerraformLogGroupsMatchAgent: every log group the CloudWatch agent writes to is
// created by Terraform (with retention and KMS), or the agent's writes would fail under
// the instance role, which may not create log groups.
func TestTerraformLogGroupsMatchAgent(t *testing.T) {
	m := loadTerraform(t, awsDir(t))
	expr, ok := m.locals["log_groups"]
	if !ok {
		t.Fatal("no local.log_groups in deploy/aws")
	}
	v, ok := m.eval(expr, nil)
	if !ok {
		t.Fatal("local.log_groups is not a constant map")
	}
	created := map[string]bool{}
	for it := v.ElementIterator(); it.Next(); {
		_, g := it.Element()
		created[g.AsString()] = true
	}
	wanted := []string{}
	for _, g := range cwLogGroups(t) {
		wanted = append(wanted, g)
	}
	if prom := loadCWAgent(t).Logs.MetricsCollected.Prometheus; prom != nil {
		wanted = append(wanted, prom.LogGroupName)
	}
	for _, g := range wanted {
		if !created[g] {
			t.Errorf("the agent writes to log group %q, which Terraform does not create", g)
		}
	}
	lg := m.resources["aws_cloudwatch_log_group"]["all"]
	if lg == nil {
		t.Fatal("no aws_cloudwatch_log_group.all")
	}
	if e, ok := m.attr(lg, "for_each"); !ok || !m.refersTo(e, "local.log_groups") {
		t.Error("aws_cloudwatch_log_group.all must be created for each of local.log_groups")
	}
	if e, ok := m.attr(lg, "retention_in_days"); !ok || !m.refersTo(e, "var.log_retention_days") {
		t.Error("log groups need a retention")
	}
}

var (
	fileRefRE    = regexp.MustCompile(`file\("\$\{path\.module\}/([^"]+)"\)`)
	tmplRefRE    = regexp.MustCompile(`templatefile\("\$\{path\.module\}/([^"]+)"`)
	tmplVarRE    = regexp.MustCompile(`(^|[^$])\$\{([a-z_][a-z0-9_]*)\}`)
	tmplEscapeRE = regexp.MustCompile(`\$\$\{`)
)

// TestTerraformUserDataTemplate checks the cloud-init template: every deploy file it
// embeds exists, every ${var} it uses is supplied by ec2.tf and every supplied one is
// used, and it installs what issue 8 lists.
func TestTerraformUserDataTemplate(t *testing.T) {
	ec2 := readFile(t, "aws/ec2.tf")
	for _, m := range fileRefRE.FindAllStringSubmatch(ec2, -1) {
		if _, err := os.Stat(filepath.Join(awsDir(t), m[1])); err != nil {
			t.Errorf("ec2.tf embeds %s: %v", m[1], err)
		}
	}
	tm := tmplRefRE.FindStringSubmatch(ec2)
	if tm == nil {
		t.Fatal("ec2.tf does not render a templatefile for user data")
	}
	tmpl := readFile(t, filepath.Join("aws", tm[1]))
	mod := loadTerraform(t, awsDir(t))
	udExpr, ok := mod.locals["user_data"]
	if !ok {
		t.Fatal("no local.user_data")
	}
	call, ok := udExpr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "templatefile" || len(call.Args) != 2 {
		t.Fatal("local.user_data must be templatefile(path, {vars})")
	}
	obj, ok := call.Args[1].(*hclsyntax.ObjectConsExpr)
	if !ok {
		t.Fatal("templatefile vars must be an object literal")
	}
	supplied := map[string]bool{}
	for _, item := range obj.Items {
		supplied[hcl.ExprAsKeyword(item.KeyExpr)] = true
	}
	used := map[string]bool{}
	for _, m := range tmplVarRE.FindAllStringSubmatch(tmplEscapeRE.ReplaceAllString(tmpl, "$$ {"), -1) {
		used[m[2]] = true
	}
	for v := range used {
		if !supplied[v] {
			t.Errorf("user-data template uses ${%s}, which ec2.tf does not supply", v)
		}
	}
	for v := range supplied {
		if !used[v] {
			t.Errorf("ec2.tf supplies %s, which the template never uses", v)
		}
	}
	for _, want := range []string{"nginx", "certbot", "python3-certbot-nginx", "amazon-cloudwatch-agent", "/usr/local/bin/lostinnl", "/etc/systemd/system/lostinnl.service", "/etc/lostinnl/lostinnl.env", "prometheus.yaml"} {
		if !strings.Contains(tmpl, want) {
			t.Errorf("user-data template does not install %s", want)
		}
	}
	// Render the template the way templatefile would (file contents for the file
	// variables, sample values for the rest) and let bash check the syntax: a stray quote
	// or an unterminated heredoc would otherwise surface only on a new instance.
	rendered := tmplEscapeRE.ReplaceAllString(tmpl, "\x00")
	for _, item := range obj.Items {
		key := hcl.ExprAsKeyword(item.KeyExpr)
		value := "sample-" + key
		if fm := fileRefRE.FindStringSubmatch(exprText(item.ValueExpr)); fm != nil {
			b, err := os.ReadFile(filepath.Join(awsDir(t), fm[1]))
			if err != nil {
				t.Fatal(err)
			}
			value = string(b)
			if strings.Contains(value, "LOSTINNL_EOF") {
				t.Errorf("%s contains the heredoc delimiter LOSTINNL_EOF", fm[1])
			}
		}
		rendered = strings.ReplaceAll(rendered, "${"+key+"}", value)
	}
	rendered = strings.ReplaceAll(rendered, "\x00", "${")
	script := filepath.Join(t.TempDir(), "user-data.sh")
	if err := os.WriteFile(script, []byte(rendered), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
		t.Errorf("bash -n on the rendered user data: %v\n%s", err, out)
	}
	// The env file written at boot must never hold a clear-text database URL.
	if regexp.MustCompile(`(?m)^LOSTINNL_DATABASE_URL=`).MatchString(tmpl) {
		t.Error("user data writes LOSTINNL_DATABASE_URL in clear text")
	}
}

// TestTerraformFormat runs `terraform fmt -check` when terraform is installed (it is not
// a Debian package; CI may not have it). Validation proper needs the AWS provider, which
// cannot be downloaded here, so `terraform validate` is AWS-only (docs/deploy.md).
func TestTerraformFormat(t *testing.T) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform not installed; the HCL checks above still ran")
	}
	cmd := exec.Command(tf, "fmt", "-check", "-diff", "-no-color", ".")
	cmd.Dir = awsDir(t)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("terraform fmt -check: %v\n%s", err, out)
	}
}
