package burgers

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// TestLossGradient checks the Burgers loss on a small point set against
// central differences in the learnables, and that two shards give the
// loss and gradient of one.
func TestLossGradient(t *testing.T) {
	net, err := NewNetwork(1)
	if err != nil {
		t.Fatal(err)
	}
	if n := net.NumLearnables(); n != NumLearnables {
		t.Fatalf("%d learnables, MATLAB's network has %d", n, NumLearnables)
	}
	p, err := NewPoints(40, 1)
	if err != nil {
		t.Fatal(err)
	}
	one, err := NewLoss(net, p, 1)
	if err != nil {
		t.Fatal(err)
	}
	two, err := NewLoss(net, p, 2)
	if err != nil {
		t.Fatal(err)
	}
	x := net.Flat()
	opts := autodiff.DefaultCheckOptions()
	opts.Coordinates = 200
	opts.Rand = rand.New(rand.NewPCG(1, 2))
	res, err := autodiff.CheckGradient(one.Evaluate, x, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelativeError > 1e-6 {
		t.Errorf("%v", res)
	}
	g1, g2 := make([]float64, len(x)), make([]float64, len(x))
	l1, _, err := one.Evaluate(x, g1)
	if err != nil {
		t.Fatal(err)
	}
	l2, _, err := two.Evaluate(x, g2)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l1-l2) > 1e-14*l1 {
		t.Errorf("loss: one shard %v, two %v", l1, l2)
	}
	for i := range g1 {
		if math.Abs(g1[i]-g2[i]) > 1e-12*(1+math.Abs(g1[i])) {
			t.Errorf("gradient %d: one shard %v, two %v", i, g1[i], g2[i])
		}
	}
}
