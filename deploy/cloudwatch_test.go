package deploy_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v2"

	"lostinnl/internal/telemetry"
)

// The defaults every deployment file must agree on.
const (
	appLogPath       = "/var/log/lostinnl/lostinnl.log"
	readyzLogPath    = "/var/log/lostinnl/readyz.log"
	prometheusTarget = "127.0.0.1:9090" // LOSTINNL_OPS_ADDR default (DESIGN.md section 4)
)

type cwAgentConfig struct {
	Agent struct {
		OmitHostname bool `json:"omit_hostname"`
	} `json:"agent"`
	Logs struct {
		LogsCollected struct {
			Files struct {
				CollectList []struct {
					FilePath     string `json:"file_path"`
					LogGroupName string `json:"log_group_name"`
				} `json:"collect_list"`
			} `json:"files"`
		} `json:"logs_collected"`
		MetricsCollected struct {
			Prometheus *struct {
				LogGroupName         string `json:"log_group_name"`
				PrometheusConfigPath string `json:"prometheus_config_path"`
				EMFProcessor         struct {
					MetricNamespace   string `json:"metric_namespace"`
					MetricDeclaration []struct {
						SourceLabels    []string   `json:"source_labels"`
						LabelMatcher    string     `json:"label_matcher"`
						Dimensions      [][]string `json:"dimensions"`
						MetricSelectors []string   `json:"metric_selectors"`
					} `json:"metric_declaration"`
				} `json:"emf_processor"`
			} `json:"prometheus"`
		} `json:"metrics_collected"`
	} `json:"logs"`
	Metrics struct {
		Namespace        string                     `json:"namespace"`
		AppendDimensions map[string]string          `json:"append_dimensions"`
		MetricsCollected map[string]json.RawMessage `json:"metrics_collected"`
	} `json:"metrics"`
}

type promConfig struct {
	ScrapeConfigs []struct {
		JobName       string `yaml:"job_name"`
		MetricsPath   string `yaml:"metrics_path"`
		StaticConfigs []struct {
			Targets []string `yaml:"targets"`
		} `yaml:"static_configs"`
	} `yaml:"scrape_configs"`
}

func loadCWAgent(t *testing.T) cwAgentConfig {
	t.Helper()
	var cfg cwAgentConfig
	dec := json.NewDecoder(strings.NewReader(readFile(t, "cloudwatch/amazon-cloudwatch-agent.json")))
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("amazon-cloudwatch-agent.json: %v", err)
	}
	return cfg
}

// cwLogGroups maps each shipped file path to its log group.
func cwLogGroups(t *testing.T) map[string]string {
	t.Helper()
	groups := map[string]string{}
	for _, f := range loadCWAgent(t).Logs.LogsCollected.Files.CollectList {
		if f.FilePath == "" || f.LogGroupName == "" {
			t.Errorf("collect_list entry %+v lacks file_path or log_group_name", f)
		}
		groups[f.FilePath] = f.LogGroupName
	}
	return groups
}

var nginxLogRE = regexp.MustCompile(`(?m)^\s*(access_log|error_log)\s+(/\S+?)[\s;]`)

func TestCloudWatchAgentShipsOurLogs(t *testing.T) {
	groups := cwLogGroups(t)

	// The app log: the file the unit appends stdout/stderr to.
	unit := parseUnit(t, readFile(t, "systemd/lostinnl.service"))
	out, _ := unit.last("Service", "StandardOutput")
	if p := strings.TrimPrefix(out, "append:"); groups[p] == "" {
		t.Errorf("the unit writes the app log to %q, which the agent does not ship (ships %v)", p, groups)
	}
	// The readiness probe's log.
	probe := parseUnit(t, readFile(t, "systemd/lostinnl-readyz.service"))
	pout, _ := probe.last("Service", "StandardOutput")
	if p := strings.TrimPrefix(pout, "append:"); p != readyzLogPath || groups[p] == "" {
		t.Errorf("readyz probe writes %q; the agent must ship %s", p, readyzLogPath)
	}
	// Every access_log/error_log in the nginx config is shipped.
	matches := nginxLogRE.FindAllStringSubmatch(readFile(t, "nginx/lostinnl.conf"), -1)
	if len(matches) < 2 {
		t.Fatalf("found %d log directives in nginx/lostinnl.conf, want access_log and error_log", len(matches))
	}
	for _, m := range matches {
		if groups[m[2]] == "" {
			t.Errorf("nginx %s %s is not shipped by the CloudWatch agent", m[1], m[2])
		}
	}
	// Memory is not an EC2 metric; the agent must collect it for the memory alarm, in the
	// namespace and with exactly the InstanceId dimension that alarm (deploy/aws) uses.
	cfg := loadCWAgent(t)
	if _, ok := cfg.Metrics.MetricsCollected["mem"]; !ok {
		t.Error("agent does not collect mem metrics; the memory alarm would have no data")
	}
	if cfg.Metrics.Namespace != "LostInNL/Host" || cfg.Metrics.AppendDimensions["InstanceId"] != "${aws:InstanceId}" || !cfg.Agent.OmitHostname {
		t.Errorf("host metrics: namespace %q, dimensions %v, omit_hostname %v; the memory alarm expects LostInNL/Host with only InstanceId",
			cfg.Metrics.Namespace, cfg.Metrics.AppendDimensions, cfg.Agent.OmitHostname)
	}
}

func TestCloudWatchAgentScrapesOpsListener(t *testing.T) {
	prom := loadCWAgent(t).Logs.MetricsCollected.Prometheus
	if prom == nil {
		t.Fatal("no logs.metrics_collected.prometheus section")
	}
	if path.Base(prom.PrometheusConfigPath) != "prometheus.yaml" {
		t.Errorf("prometheus_config_path %q should name the shipped prometheus.yaml", prom.PrometheusConfigPath)
	}
	var pc promConfig
	if err := yaml.UnmarshalStrict([]byte(readFile(t, "cloudwatch/prometheus.yaml")), &struct {
		Global        map[string]string `yaml:"global"`
		ScrapeConfigs any               `yaml:"scrape_configs"`
	}{}); err != nil {
		t.Fatalf("prometheus.yaml top level: %v", err)
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "cloudwatch/prometheus.yaml")), &pc); err != nil {
		t.Fatalf("prometheus.yaml: %v", err)
	}
	var jobs []string
	found := false
	for _, sc := range pc.ScrapeConfigs {
		jobs = append(jobs, sc.JobName)
		for _, st := range sc.StaticConfigs {
			for _, target := range st.Targets {
				if target == prometheusTarget && sc.MetricsPath == "/metrics" {
					found = true
				}
			}
		}
	}
	if !found {
		t.Fatalf("prometheus.yaml does not scrape %s/metrics: %+v", prometheusTarget, pc)
	}
	// The unit's LOSTINNL_OPS_ADDR must be that same address.
	unit := parseUnit(t, readFile(t, "systemd/lostinnl.service"))
	if got := unit.environment()["LOSTINNL_OPS_ADDR"]; got != prometheusTarget {
		t.Errorf("unit LOSTINNL_OPS_ADDR = %q, scrape target %q", got, prometheusTarget)
	}
	// The EMF declaration must select our job.
	decls := prom.EMFProcessor.MetricDeclaration
	if len(decls) == 0 {
		t.Fatal("no emf_processor.metric_declaration: nothing would become a CloudWatch metric")
	}
	for _, d := range decls {
		re, err := regexp.Compile(d.LabelMatcher)
		if err != nil {
			t.Fatalf("label_matcher %q: %v", d.LabelMatcher, err)
		}
		ok := false
		for _, j := range jobs {
			if re.MatchString(j) {
				ok = true
			}
		}
		if !ok || len(d.SourceLabels) != 1 || d.SourceLabels[0] != "job" {
			t.Errorf("declaration %+v does not select any scrape job %v", d, jobs)
		}
	}
}

// TestCloudWatchMetricSelectorsMatchTelemetry makes the app expose every metric family
// (by serving one request and recording one of each observation) and checks every
// selector in the agent config matches at least one exposed series name, so a renamed
// metric cannot silently drop out of CloudWatch.
func TestCloudWatchMetricSelectorsMatchTelemetry(t *testing.T) {
	m := telemetry.NewMetrics("test", "deadbeef")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cases/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	m.Middleware(mux).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/cases/1", nil))
	m.ObserveQuery("case_get", time.Millisecond)
	m.ObservePhoto(time.Millisecond)
	m.PhotoRejected("too_large")
	m.FormRejected("tip", "validation")
	m.RateLimited("tip")
	attempt, err := m.RegisterMail(func() telemetry.MailStats { return telemetry.MailStats{} })
	if err != nil {
		t.Fatal(err)
	}
	attempt("sent")

	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var names []string
	for _, f := range families {
		n := f.GetName()
		names = append(names, n)
		switch f.GetType().String() {
		case "HISTOGRAM", "SUMMARY":
			names = append(names, n+"_sum", n+"_count", n+"_bucket")
		}
	}
	prom := loadCWAgent(t).Logs.MetricsCollected.Prometheus
	if prom == nil {
		t.Fatal("no prometheus section")
	}
	for _, d := range prom.EMFProcessor.MetricDeclaration {
		for _, sel := range d.MetricSelectors {
			re, err := regexp.Compile(sel)
			if err != nil {
				t.Fatalf("metric selector %q: %v", sel, err)
			}
			matched := false
			for _, n := range names {
				if re.MatchString(n) {
					matched = true
					break
				}
			}
			if !matched {
				t.Errorf("metric selector %q matches none of the app's metrics %v", sel, names)
			}
		}
	}
}
