package deploy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// The load-balanced mode of deploy/aws (scale.tf, issue 14 point 6), checked like the rest
// of the Terraform: statically, evaluating variable defaults and, here, instance_count
// set to the values an operator would use.

// albResources are the resources that exist only in the load-balanced mode.
var albResources = []string{
	"aws_security_group.alb", "aws_security_group.app", "aws_lb.app", "aws_lb_target_group.app",
	"aws_lb_listener.https", "aws_lb_listener.http", "aws_launch_template.app", "aws_autoscaling_group.app",
	"aws_cloudwatch_metric_alarm.group_cpu", "aws_cloudwatch_metric_alarm.unhealthy_targets",
	"aws_cloudwatch_metric_alarm.target_5xx",
}

// singleResources are the single instance's, which the load-balanced mode replaces.
var singleResources = []string{
	"aws_instance.web", "aws_eip.web", "aws_cloudwatch_metric_alarm.cpu",
	"aws_cloudwatch_metric_alarm.memory", "aws_cloudwatch_metric_alarm.instance_status",
}

// withInstances returns a copy of m whose var.instance_count is n and whose
// local.alb_mode is evaluated from its definition, so count expressions and dynamic
// blocks evaluate as Terraform would plan them with `-var instance_count=n`.
func (m *tfModule) withInstances(n int) (*tfModule, bool) {
	vars := map[string]cty.Value{}
	for k, v := range m.ctx.Variables["var"].AsValueMap() {
		vars[k] = v
	}
	vars["instance_count"] = cty.NumberIntVal(int64(n))
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)}, Functions: m.ctx.Functions}
	le, ok := m.locals["alb_mode"]
	if !ok {
		return nil, false
	}
	mode, diags := le.Value(ctx)
	if diags.HasErrors() || !mode.IsKnown() || mode.Type() != cty.Bool {
		return nil, false
	}
	ctx.Variables["local"] = cty.ObjectVal(map[string]cty.Value{"alb_mode": mode})
	c := *m
	c.ctx = ctx
	return &c, true
}

// count evaluates a resource's count; a resource without one counts 1.
func (m *tfModule) count(b *hclsyntax.Block) (int64, bool) {
	e, ok := m.attr(b, "count")
	if !ok {
		return 1, true
	}
	v, ok := m.eval(e, nil)
	if !ok || v.Type() != cty.Number {
		return 0, false
	}
	n, _ := v.AsBigFloat().Int64()
	return n, true
}

func (m *tfModule) resource(addr string) *hclsyntax.Block {
	typ, name, _ := strings.Cut(addr, ".")
	return m.resources[typ][name]
}

// checkScaleOut returns every problem of the load-balanced mode; dir is the deploy/aws
// directory (the user-data template is read from it).
func checkScaleOut(m *tfModule, dir string) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	checkInstanceCountVariable(m, bad)
	for _, n := range []int{1, 2, 3} {
		mn, ok := m.withInstances(n)
		if !ok {
			bad("local.alb_mode missing or not a bool computed from var.instance_count")
			break
		}
		for _, addr := range albResources {
			want := int64(0)
			if n > 1 {
				want = 1
			}
			checkCount(mn, addr, n, want, bad)
		}
		for _, addr := range singleResources {
			want := int64(1)
			if n > 1 {
				want = 0
			}
			checkCount(mn, addr, n, want, bad)
		}
		if n > 1 {
			// The existing rules hold in this mode too: nothing opens 22 or 3306 to the
			// world, and MySQL only from security groups.
			checkSecurityGroups(mn, bad)
			checkALBMode(mn, n, bad)
		}
	}
	checkScaleUserData(m, dir, bad)
	sort.Strings(problems)
	return problems
}

func checkCount(m *tfModule, addr string, n int, want int64, bad func(string, ...any)) {
	b := m.resource(addr)
	if b == nil {
		bad("no %s", addr)
		return
	}
	got, ok := m.count(b)
	if !ok {
		bad("%s: count cannot be evaluated from var.instance_count", addr)
		return
	}
	if got != want {
		bad("%s: count %d with instance_count = %d; want %d", addr, got, n, want)
	}
}

// checkInstanceCountVariable: default 1 (today's single instance), and the validation
// refuses what cannot be a number of instances.
func checkInstanceCountVariable(m *tfModule, bad func(string, ...any)) {
	v := m.variables["instance_count"]
	if v == nil {
		bad("no variable instance_count")
		return
	}
	if def, ok := m.literal(v, "default"); !ok || def.Type() != cty.Number || !def.Equals(cty.NumberIntVal(1)).True() {
		bad("instance_count must default to 1 (the single instance, load balancer off)")
	}
	vals := nested(v, "validation")
	if len(vals) == 0 {
		bad("variable instance_count has no validation")
		return
	}
	cond, _ := m.attr(vals[0], "condition")
	funcs := map[string]function.Function{"floor": stdlib.FloorFunc}
	for k, f := range m.ctx.Functions {
		funcs[k] = f
	}
	try := func(n float64) (bool, bool) {
		ctx := &hcl.EvalContext{
			Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{"instance_count": cty.NumberFloatVal(n)})},
			Functions: funcs,
		}
		res, diags := cond.Value(ctx)
		if diags.HasErrors() || res.Type() != cty.Bool || !res.IsKnown() {
			return false, false
		}
		return res.True(), true
	}
	for _, hostile := range []float64{0, -1, 1.5, 21, 1000} {
		if ok, evaluated := try(hostile); !evaluated || ok {
			bad("instance_count validation accepts %v (or cannot be evaluated)", hostile)
		}
	}
	for _, fine := range []float64{1, 2, 20} {
		if ok, evaluated := try(fine); !evaluated || !ok {
			bad("instance_count validation rejects %v", fine)
		}
	}
}

func checkALBMode(m *tfModule, n int, bad func(string, ...any)) {
	rules := m.allIngress(bad)
	albWorld443 := false
	for _, r := range rules {
		covers := func(port int64) bool { return !r.portsKnown || (r.from <= port && port <= r.to) }
		if covers(8080) {
			for _, c := range r.cidrs {
				bad("%s allows port 8080 from %s; only the load balancer's security group may reach the app", r.where, c)
			}
		}
		if strings.HasPrefix(r.where, "aws_security_group.alb") && covers(443) {
			for _, c := range r.cidrs {
				if isWorld(c) {
					albWorld443 = true
				}
			}
		}
	}
	if !albWorld443 {
		bad("aws_security_group.alb must allow 443 from the world (0.0.0.0/0)")
	}
	if app := m.resources["aws_security_group"]["app"]; app != nil {
		from8080 := false
		for _, in := range nested(app, "ingress") {
			r := m.ingressFrom("aws_security_group.app", in, nil)
			e, hasSG := m.attr(in, "security_groups")
			switch {
			case r.portsKnown && r.from == 8080 && r.to == 8080 && hasSG && m.refersTo(e, "aws_security_group.alb") && len(r.cidrs) == 0:
				from8080 = true
			default:
				bad("aws_security_group.app: ingress %d-%d other than 8080 from the load balancer", r.from, r.to)
			}
		}
		if !from8080 {
			bad("aws_security_group.app must allow 8080 from aws_security_group.alb")
		}
	}
	if db := m.resources["aws_security_group"]["db"]; db != nil {
		fromApp := false
		for _, dyn := range nested(db, "dynamic") {
			for _, c := range nested(dyn, "content") {
				if e, ok := m.attr(c, "security_groups"); ok && m.refersTo(e, "aws_security_group.app") {
					fromApp = true
				}
			}
		}
		if !fromApp {
			bad("aws_security_group.db must allow 3306 from aws_security_group.app in the load-balanced mode")
		}
	}

	if tg := m.resource("aws_lb_target_group.app"); tg != nil {
		if v, ok := m.literal(tg, "port"); !ok || !v.Equals(cty.NumberIntVal(8080)).True() || m.str(tg, "protocol") != "HTTP" {
			bad("aws_lb_target_group.app must send HTTP to port 8080")
		}
		hc := nested(tg, "health_check")
		if len(hc) != 1 || m.str(hc[0], "path") != "/readyz" || m.str(hc[0], "matcher") != "200" {
			bad("aws_lb_target_group.app: health check must be GET /readyz answering 200")
		}
	}
	if l := m.resource("aws_lb_listener.https"); l != nil {
		e, ok := m.attr(l, "certificate_arn")
		if m.str(l, "protocol") != "HTTPS" || !ok || !m.refersTo(e, "var.certificate_arn") || !strings.HasPrefix(m.str(l, "ssl_policy"), "ELBSecurityPolicy-TLS13-1-2") {
			bad("aws_lb_listener.https: HTTPS with var.certificate_arn and a TLS 1.2+ policy")
		}
		if !hasPrecondition(m, l, "var.certificate_arn") {
			bad("aws_lb_listener.https: no precondition refusing an empty certificate_arn")
		}
		if !forwardsTo(m, l, "aws_lb_target_group.app") {
			bad("aws_lb_listener.https must forward to aws_lb_target_group.app")
		}
	}
	if l := m.resource("aws_lb_listener.http"); l != nil {
		redirects := false
		for _, a := range nested(l, "default_action") {
			for _, r := range nested(a, "redirect") {
				redirects = m.str(r, "protocol") == "HTTPS"
			}
		}
		if !redirects {
			bad("aws_lb_listener.http must only redirect to HTTPS")
		}
	}
	if lb := m.resource("aws_lb.app"); lb != nil {
		if !m.isTrue(lb, "drop_invalid_header_fields") {
			bad("aws_lb.app: drop_invalid_header_fields must be true")
		}
		if e, ok := m.attr(lb, "security_groups"); !ok || !m.refersTo(e, "aws_security_group.alb") {
			bad("aws_lb.app must use aws_security_group.alb")
		}
	}
	if lt := m.resource("aws_launch_template.app"); lt != nil {
		checkLaunchTemplate(m, lt, bad)
	}
	if asg := m.resource("aws_autoscaling_group.app"); asg != nil {
		for _, a := range []string{"min_size", "max_size", "desired_capacity"} {
			e, ok := m.attr(asg, a)
			v, known := m.eval(e, nil)
			if !ok || !m.refersTo(e, "var.instance_count") || !known || !v.Equals(cty.NumberIntVal(int64(n))).True() {
				bad("aws_autoscaling_group.app: %s must come from var.instance_count", a)
			}
		}
		if m.str(asg, "health_check_type") != "ELB" {
			bad("aws_autoscaling_group.app: health_check_type must be ELB (the load balancer's /readyz)")
		}
		if e, ok := m.attr(asg, "target_group_arns"); !ok || !m.refersTo(e, "aws_lb_target_group.app") {
			bad("aws_autoscaling_group.app must register in aws_lb_target_group.app")
		}
		lts := nested(asg, "launch_template")
		if e, ok := m.attr(firstOr(lts), "id"); len(lts) != 1 || !ok || !m.refersTo(e, "aws_launch_template.app") {
			bad("aws_autoscaling_group.app must launch from aws_launch_template.app")
		}
	}
}

func firstOr(bs []*hclsyntax.Block) *hclsyntax.Block {
	if len(bs) == 0 {
		return &hclsyntax.Block{Body: &hclsyntax.Body{}}
	}
	return bs[0]
}

func hasPrecondition(m *tfModule, b *hclsyntax.Block, ref string) bool {
	for _, lc := range nested(b, "lifecycle") {
		for _, pc := range nested(lc, "precondition") {
			if e, ok := m.attr(pc, "condition"); ok && m.refersTo(e, ref) {
				return true
			}
		}
	}
	return false
}

func forwardsTo(m *tfModule, l *hclsyntax.Block, target string) bool {
	for _, a := range nested(l, "default_action") {
		if e, ok := m.attr(a, "target_group_arn"); ok && m.str(a, "type") == "forward" && m.refersTo(e, target) {
			return true
		}
	}
	return false
}

// checkLaunchTemplate holds the load-balanced instances to the single instance's rules:
// IMDSv2, an encrypted root volume with our key, the same instance profile, the same user
// data; and it refuses to plan without the encrypted database URL.
func checkLaunchTemplate(m *tfModule, lt *hclsyntax.Block, bad func(string, ...any)) {
	const where = "aws_launch_template.app"
	mo := nested(lt, "metadata_options")
	if len(mo) != 1 || m.str(mo[0], "http_tokens") != "required" {
		bad("%s: IMDSv2 must be required (metadata_options.http_tokens)", where)
	}
	encrypted := false
	for _, bd := range nested(lt, "block_device_mappings") {
		for _, ebs := range nested(bd, "ebs") {
			e, ok := m.attr(ebs, "kms_key_id")
			encrypted = m.isTrue(ebs, "encrypted") && ok && m.refersTo(e, "aws_kms_key.main")
		}
	}
	if !encrypted {
		bad("%s: root volume must be encrypted with aws_kms_key.main", where)
	}
	ip := nested(lt, "iam_instance_profile")
	if e, ok := m.attr(firstOr(ip), "name"); len(ip) != 1 || !ok || !m.refersTo(e, "aws_iam_instance_profile.instance") {
		bad("%s: must run with the instance profile", where)
	}
	if e, ok := m.attr(lt, "user_data"); !ok || !m.refersTo(e, "local.user_data") {
		bad("%s: user_data must be local.user_data (the same cloud-init as the single instance)", where)
	}
	if e, ok := m.attr(lt, "vpc_security_group_ids"); !ok || !m.refersTo(e, "aws_security_group.app") || m.refersTo(e, "aws_security_group.web") {
		bad("%s: must use aws_security_group.app only", where)
	}
	if !hasPrecondition(m, lt, "var.database_url_encrypted") {
		bad("%s: no precondition refusing an empty database_url_encrypted (instances would start on SQLite)", where)
	}
}

var (
	drainRE   = regexp.MustCompile(`(?m)^\s*DRAIN_DELAY=(\d+)s$`)
	stopRE    = regexp.MustCompile(`(?m)^TimeoutStopSec=(\d+)s$`)
	refuseRE  = regexp.MustCompile(`(?s)if \[ "\$scheme" != "mysql://" \]; then\n[^\n]*\n\s*exit 1\nfi\nsystemctl enable --now lostinnl\n`)
	mediaS3RE = regexp.MustCompile(`(?m)^LOSTINNL_MEDIA_URL=s3://`)
)

// checkScaleUserData: in the load-balanced mode the instance listens for the balancer,
// trusts only the VPC as proxy, drains longer than the balancer needs to notice, starts
// only on MySQL, and always stores photos in S3.
func checkScaleUserData(m *tfModule, dir string, bad func(string, ...any)) {
	b, err := os.ReadFile(filepath.Join(dir, "user-data.sh.tftpl"))
	if err != nil {
		bad("user data template: %v", err)
		return
	}
	tmpl := string(b)
	for _, want := range []string{"APP_ADDR=0.0.0.0:8080", "TRUSTED_PROXIES='${vpc_cidr}'", "LOSTINNL_ADDR=$APP_ADDR",
		"LOSTINNL_TRUSTED_PROXIES=$TRUSTED_PROXIES", "LOSTINNL_DRAIN_DELAY=$DRAIN_DELAY", "LOSTINNL_DATABASE_URL_ENCRYPTED=$DATABASE_URL_ENCRYPTED"} {
		if !strings.Contains(tmpl, want) {
			bad("user data template lacks %q", want)
		}
	}
	if !mediaS3RE.MatchString(tmpl) {
		bad("user data must always set LOSTINNL_MEDIA_URL=s3://… (never the local media directory)")
	}
	if !refuseRE.MatchString(tmpl) {
		bad("user data must refuse to start lostinnl in the load-balanced mode unless the database URL is mysql://")
	}
	if ud, ok := m.locals["user_data"]; ok {
		if call, ok := ud.(*hclsyntax.FunctionCallExpr); ok && len(call.Args) == 2 {
			if obj, ok := call.Args[1].(*hclsyntax.ObjectConsExpr); ok {
				found := false
				for _, item := range obj.Items {
					if hcl.ExprAsKeyword(item.KeyExpr) == "database_url_encrypted" {
						found = m.refersTo(item.ValueExpr, "var.database_url_encrypted")
					}
				}
				if !found {
					bad("local.user_data must pass var.database_url_encrypted to the template")
				}
			}
		}
	}
	// The drain delay must outlast the balancer's 2 failed checks, and drain + the
	// default 20 s shutdown timeout must fit in the unit's TimeoutStopSec.
	var drain int
	var drains []int
	for _, mm := range drainRE.FindAllStringSubmatch(tmpl, -1) {
		d, _ := strconv.Atoi(mm[1])
		drains = append(drains, d)
	}
	if len(drains) == 0 {
		bad("user data sets no DRAIN_DELAY in seconds for the load-balanced mode")
		return
	}
	drain = drains[0]
	mn, ok := m.withInstances(2)
	if !ok {
		return
	}
	if tg := mn.resource("aws_lb_target_group.app"); tg != nil {
		hc := firstOr(nested(tg, "health_check"))
		iv, ok1 := mn.literal(hc, "interval")
		th, ok2 := mn.literal(hc, "unhealthy_threshold")
		if ok1 && ok2 {
			i, _ := iv.AsBigFloat().Int64()
			u, _ := th.AsBigFloat().Int64()
			if int64(drain) <= i*u {
				bad("LOSTINNL_DRAIN_DELAY %ds does not outlast the load balancer's %d failed checks %d s apart", drain, u, i)
			}
		}
	}
	unit, err := os.ReadFile(filepath.Join(dir, "..", "systemd", "lostinnl.service"))
	if err != nil {
		bad("unit: %v", err)
		return
	}
	if sm := stopRE.FindStringSubmatch(string(unit)); sm != nil {
		stop, _ := strconv.Atoi(sm[1])
		if drain+20 >= stop {
			bad("LOSTINNL_DRAIN_DELAY %ds + 20 s shutdown timeout does not fit in TimeoutStopSec=%ds", drain, stop)
		}
	}
}

func TestTerraformScaleOut(t *testing.T) {
	for _, p := range checkScaleOut(loadTerraform(t, awsDir(t)), awsDir(t)) {
		t.Error(p)
	}
}

// TestTerraformScaleOutChecksCatchMistakes: each deliberate breakage of the
// load-balanced mode is noticed.
func TestTerraformScaleOutChecksCatchMistakes(t *testing.T) {
	mutations := []struct {
		name, file, from, to, want string
	}{
		{"balancer always on", "scale.tf", "alb_mode = var.instance_count > 1", "alb_mode = var.instance_count > 0", "aws_lb.app: count 1 with instance_count = 1; want 0"},
		{"default two instances", "variables.tf", "type        = number\n  default     = 1\n  validation {\n    condition     = var.instance_count", "type        = number\n  default     = 2\n  validation {\n    condition     = var.instance_count", "instance_count must default to 1"},
		{"validation too loose", "variables.tf", "var.instance_count <= 20 &&", "var.instance_count <= 2000 &&", "validation accepts 1000"},
		{"fractional instances", "variables.tf", " && floor(var.instance_count) == var.instance_count", "", "validation accepts 1.5"},
		{"single instance kept beside the group", "ec2.tf", "count                       = local.alb_mode ? 0 : 1", "count                       = 1", "aws_instance.web: count 1 with instance_count = 2; want 0"},
		{"health check on /healthz", "scale.tf", `path                = "/readyz"`, `path                = "/healthz"`, "health check must be GET /readyz"},
		{"app open to the world", "scale.tf", "    security_groups = [aws_security_group.alb[0].id]", `    cidr_blocks     = ["0.0.0.0/0"]`, "allows port 8080 from 0.0.0.0/0"},
		{"app open to the vpc", "scale.tf", "    security_groups = [aws_security_group.alb[0].id]", "    cidr_blocks     = [var.vpc_cidr]", "allows port 8080 from 10.40.0.0/16"},
		{"balancer not public", "scale.tf", "    to_port          = 443\n    protocol         = \"tcp\"\n    cidr_blocks      = [\"0.0.0.0/0\"]\n    ipv6_cidr_blocks = [\"::/0\"]", "    to_port          = 443\n    protocol         = \"tcp\"\n    cidr_blocks      = [\"10.0.0.0/8\"]\n    ipv6_cidr_blocks = [\"fd00::/8\"]", "must allow 443 from the world"},
		{"fixed group size", "scale.tf", "max_size                  = var.instance_count", "max_size                  = 10", "max_size must come from var.instance_count"},
		{"ec2 health checks only", "scale.tf", `health_check_type         = "ELB"`, `health_check_type         = "EC2"`, "health_check_type must be ELB"},
		{"imdsv1 on the group", "scale.tf", `http_tokens                 = "required"`, `http_tokens                 = "optional"`, "aws_launch_template.app: IMDSv2"},
		{"unencrypted group volume", "scale.tf", "encrypted   = true", "encrypted   = false", "root volume must be encrypted"},
		{"no certificate check", "scale.tf", `condition     = var.certificate_arn != ""`, "condition     = true", "precondition refusing an empty certificate_arn"},
		{"sqlite allowed by terraform", "scale.tf", `condition     = var.database_url_encrypted != ""`, "condition     = true", "refusing an empty database_url_encrypted"},
		{"sqlite allowed at boot", "user-data.sh.tftpl", `if [ "$scheme" != "mysql://" ]; then`, `if false; then`, "unless the database URL is mysql://"},
		{"local media", "user-data.sh.tftpl", "LOSTINNL_MEDIA_URL=s3://", "LOSTINNL_MEDIA_URL=file://", "never the local media directory"},
		{"drain shorter than health checks", "user-data.sh.tftpl", "DRAIN_DELAY=15s", "DRAIN_DELAY=5s", "does not outlast"},
		{"drain longer than the unit allows", "user-data.sh.tftpl", "DRAIN_DELAY=15s", "DRAIN_DELAY=40s", "does not fit in TimeoutStopSec"},
		{"mysql from the world in this mode", "network.tf", "      security_groups = [aws_security_group.app[0].id]", `      cidr_blocks     = ["0.0.0.0/0"]`, "opens port 3306 to 0.0.0.0/0"},
		{"group cannot reach mysql", "network.tf", "      security_groups = [aws_security_group.app[0].id]", "      security_groups = [aws_security_group.alb[0].id]", "must allow 3306 from aws_security_group.app"},
	}
	for _, mu := range mutations {
		t.Run(mu.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "aws")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			// The unit file sits beside, as in the repository (the drain check reads it).
			if err := os.MkdirAll(filepath.Join(dir, "..", "systemd"), 0o755); err != nil {
				t.Fatal(err)
			}
			unit, err := os.ReadFile(filepath.Join(deployDir(t), "systemd", "lostinnl.service"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "..", "systemd", "lostinnl.service"), unit, 0o644); err != nil {
				t.Fatal(err)
			}
			files, err := filepath.Glob(filepath.Join(awsDir(t), "*"))
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
			problems := checkScaleOut(loadTerraform(t, dir), dir)
			for _, p := range problems {
				if strings.Contains(p, mu.want) {
					return
				}
			}
			t.Fatalf("breaking %s (%s) went unnoticed; want a problem containing %q, got %q", mu.file, mu.name, mu.want, problems)
		})
	}
}
