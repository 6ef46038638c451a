package burgers

import "testing"

// BenchmarkLoss times one evaluation of MATLAB's loss and its gradient
// (10,000 collocation points, 3,021 learnables) with one and two shards.
func BenchmarkLoss(b *testing.B) {
	for _, shards := range []int{1, 2} {
		b.Run(map[int]string{1: "shards=1", 2: "shards=2"}[shards], func(b *testing.B) {
			net, err := NewNetwork(1)
			if err != nil {
				b.Fatal(err)
			}
			p, err := NewPoints(NumCollocationPoints, 1)
			if err != nil {
				b.Fatal(err)
			}
			ev, err := NewLoss(net, p, shards)
			if err != nil {
				b.Fatal(err)
			}
			x := net.Flat()
			g := make([]float64, len(x))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, _, err := ev.Evaluate(x, g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
