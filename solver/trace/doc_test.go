package trace

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/schedspec"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// traceDoc is docs/trace-format.md, which documents the trace's keys.
const traceDoc = "../../docs/trace-format.md"

// backticked matches `name` and `"name"` in Markdown.
var backticked = regexp.MustCompile("`\"?([^`\"]+)\"?`")

// docSection returns the lines of the Markdown section that starts with
// the line start, up to the next blank line after its table.
func docSection(t *testing.T, doc []string, start string) [][]string {
	t.Helper()
	i := slices.Index(doc, start)
	if i < 0 {
		t.Fatalf("%s has no line %q", traceDoc, start)
	}
	var rows [][]string
	for _, line := range doc[i+1:] {
		if strings.HasPrefix(line, "|") {
			cells := strings.Split(strings.Trim(line, "|"), "|")
			if !strings.HasPrefix(strings.TrimSpace(cells[0]), "---") {
				rows = append(rows, cells)
			}
		} else if len(rows) > 0 {
			break
		}
	}
	if len(rows) < 2 {
		t.Fatalf("%s: no table after %q", traceDoc, start)
	}
	return rows[1:] // without the column titles
}

// names returns the backticked names in s, sorted.
func names(s string) []string {
	var out []string
	for _, m := range backticked.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

// firstColumn returns the sorted backticked names of the first cells.
func firstColumn(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, names(r[0])...)
	}
	sort.Strings(out)
	return out
}

// jsonKeys returns the sorted keys of the JSON object v encodes to.
func jsonKeys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readTraceDoc returns the lines of docs/trace-format.md.
func readTraceDoc(t *testing.T) []string {
	t.Helper()
	text, err := os.ReadFile(traceDoc)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(text), "\n")
}

// checkNames reports a difference between two sorted name lists.
func checkNames(t *testing.T, what string, documented, written []string) {
	t.Helper()
	if !slices.Equal(documented, written) {
		t.Errorf("%s: documented %q, written %q", what, documented, written)
	}
}

// TestTraceDocKeys checks that docs/trace-format.md lists exactly the keys
// the trace writes, line by line and in each nested object.
func TestTraceDocKeys(t *testing.T) {
	doc := readTraceDoc(t)
	all := solver.DefaultOptions() // with every optional key written
	all.Lower, all.Upper, all.L1, all.L1Weights = []float64{0}, []float64{1}, 1, []float64{1}
	h := headerLine(Header{Version: Version, Options: all})
	checkNames(t, "header", firstColumn(docSection(t, doc, "## header")), jsonKeys(t, h))
	checkNames(t, "options", firstColumn(docSection(t, doc, "`options`:")), jsonKeys(t, h.Options))
	schedules := map[string]solver.Schedule{
		schedspec.Constant:    solver.ConstantRate(1),
		schedspec.Exponential: solver.ExponentialDecay{Initial: 1, Factor: 0.5, Steps: 2},
		schedspec.Step:        solver.StepDecay{Initial: 1, Factor: 0.5, Every: 2},
		schedspec.Cosine:      solver.CosineDecay{Initial: 1, Final: 0.5, Steps: 2},
		schedspec.Custom:      solver.ScheduleFunc(func(int) float64 { return 1 }),
	}
	rows := docSection(t, doc, "`learning_rate`:")
	if len(rows) != len(schedules) {
		t.Errorf("learning_rate: %d schedules documented, %d written", len(rows), len(schedules))
	}
	for _, r := range rows {
		kind := names(r[0])[0]
		sched, ok := schedules[kind]
		if !ok {
			t.Errorf("learning_rate: documented schedule %q is not written", kind)
			continue
		}
		keys := append(names(r[1]), "schedule")
		sort.Strings(keys)
		checkNames(t, "learning_rate "+kind, keys, jsonKeys(t, scheduleToWire(schedspec.Of(sched))))
	}
	rec := Record{Trials: []solver.LineSearchTrial{{Step: 1, Loss: 1, Derivative: -1, Outcome: solver.TrialAccepted}}}
	rows = docSection(t, doc, "## iteration")
	checkNames(t, "iteration", firstColumn(rows), jsonKeys(t, iterationLine(rec)))
	for _, r := range rows {
		if slices.Equal(names(r[0]), []string{"trials"}) {
			var trial []string
			for _, q := range regexp.MustCompile(`"(\w+)"`).FindAllStringSubmatch(r[len(r)-1], -1) {
				trial = append(trial, q[1])
			}
			sort.Strings(trial)
			checkNames(t, "trial", trial, jsonKeys(t, iterationLine(rec).Trials[0]))
		}
	}
	checkNames(t, "summary", firstColumn(docSection(t, doc, "## summary")), jsonKeys(t, summaryLine(solver.Result{})))
}

// TestTraceDocValues checks that docs/trace-format.md lists exactly the
// run statuses and trial outcomes the package defines.
func TestTraceDocValues(t *testing.T) {
	doc := readTraceDoc(t)
	var statuses []string
	for _, r := range docSection(t, doc, "## summary") {
		if slices.Equal(names(r[0]), []string{"status"}) {
			statuses = slices.DeleteFunc(names(r[2]), func(s string) bool { return s == "Status" }) // the Go field
		}
	}
	var want []string
	for st := solver.NotTerminated + 1; ; st++ { // all but NotTerminated
		name, err := st.MarshalText()
		if err != nil {
			break
		}
		want = append(want, string(name))
	}
	sort.Strings(want)
	checkNames(t, "statuses", statuses, want)
	var outcomes string
	for i, line := range doc {
		if strings.HasPrefix(line, "A trial's `outcome` is one of") {
			outcomes = strings.Join(doc[i:i+4], " ")
		}
	}
	if outcomes == "" {
		t.Fatalf("%s: no list of trial outcomes", traceDoc)
	}
	got := names(strings.SplitN(outcomes, "one of", 2)[1])
	got = slices.DeleteFunc(got, func(s string) bool { return strings.HasPrefix(s, "solver.") })
	want = nil
	for _, o := range []solver.Outcome{solver.TrialAccepted, solver.TrialAcceptedWeak, solver.TrialArmijo, solver.TrialBestOfFail, solver.TrialCurvature, solver.TrialNonFinite, solver.TrialRejected} {
		want = append(want, o.String())
	}
	sort.Strings(want)
	checkNames(t, "trial outcomes", got, want)
}

// TestTraceDocExample checks that the example trace in
// docs/trace-format.md reads back with ReadTrace and is, but for elapsed
// times, what a Recorder writes for the run it describes: two iterations
// on Rosenbrock from (−1.2, 1) with the default options.
func TestTraceDocExample(t *testing.T) {
	text := strings.Join(readTraceDoc(t), "\n")
	block := regexp.MustCompile("(?s)## Example.*?```json\n(.*?)```").FindStringSubmatch(text)
	if block == nil {
		t.Fatalf("%s: no JSON example", traceDoc)
	}
	documented, err := Read(strings.NewReader(block[1]))
	if err != nil {
		t.Fatalf("ReadTrace(example): %v", err)
	}
	s := testprob.NewState(t, solver.DefaultOptions())
	rec, _ := NewRecorder(nil, s)
	res, err := solver.Minimize(context.Background(), []float64{-1.2, 1}, testprob.Rosenbrock, s, solver.StopOptions{MaxIterations: 2, Hook: rec.Record})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Finish(res); err != nil {
		t.Fatal(err)
	}
	written := rec.Trace()
	zero := func(tr Trace) Trace {
		its := slices.Clone(tr.Iterations)
		for i := range its {
			its[i].Elapsed = 0
		}
		tr.Iterations = its
		if tr.Summary != nil {
			sum := *tr.Summary
			sum.Elapsed = time.Duration(0)
			tr.Summary = &sum
		}
		return tr
	}
	if got, want := traceString(zero(documented)), traceString(zero(written)); got != want {
		t.Errorf("documented example:\n%s\nwritten:\n%s", got, want)
	}
}
