package solver

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The passes of the two-loop recursion over long vectors are shared by two
// goroutines: the one calling Update and one helper for the whole package.
//
// A vector of n ≥ splitMin elements is cut into blocks of blockLen elements
// (the last one shorter), fixed by n alone. Each pass — for example
// q = q + a·y_i with the partial sums of s_jᵀq — is run block by block,
// each block's four partial sums starting from zero, and the pass's dot
// product adds the blocks' partial sums in block order, lane by lane, then
// (s₀ + s₁) + (s₂ + s₃). Which goroutine computes a block changes nothing
// in its arithmetic, so the result is the same bits on one core or two,
// with the helper busy elsewhere or absent: runs stay bit-identical across
// machines. Below splitMin a pass is one block, computed as before by the
// calling goroutine alone.
//
// Blocks are claimed one at a time with a compare-and-swap on (pass number,
// next block), so that a helper that is descheduled or late takes fewer
// blocks rather than delaying the pass; the calling goroutine waits only
// for a block the helper has claimed and not finished. The helper is
// started on first use, blocks on a channel while no recursion needs it,
// serves one LBFGSState at a time (another state's recursion then runs on
// its own goroutine) and stops spinning after about helperPatience idle
// polls. Nothing here allocates once the helper runs.

// splitMin is the length from which a pass is split into blocks; with
// blockLen = 4096 a pass of the recursion moves about 1 MB there and takes
// some 20 µs on one core, against about 1 µs to hand blocks to the helper.
const splitMin = 1 << 15

// blockLen is the number of elements of a block (32 KB of each vector).
const blockLen = 1 << 12

// helperPatience is the number of polls the helper makes for a new pass
// before it returns to waiting on its channel: a few microseconds, where
// the next pass normally opens within a fraction of one, so that a helper
// whose partner has lost its core gives the core back soon.
const helperPatience = 1 << 10

// passKind is the fused operation of one pass (twoloop.go's kernels).
type passKind uint8

const (
	passCopyDot      passKind = iota // q = x; v⊙q to the sums
	passAxpyDot                      // q = q + a·x; v⊙q to the sums
	passAxpyScaleDot                 // q = c·(q + a·x); v⊙q to the sums
	passAxpyNegate                   // q = −(q + a·x)
	passPair                         // s = x − q, y = v − w; sᵀy, yᵀy to the sums
)

// pass is one pass over the blocks: its kernel and operands.
type pass struct {
	kind    passKind
	q, x, v []float64
	a, c    float64
	s, y, w []float64 // passPair's outputs and its fourth input
}

// team runs the passes of one LBFGSState's recursion over n elements.
type team struct {
	// claim is the pass number (upper 32 bits) and the next unclaimed
	// block of that pass (lower 32 bits).
	claim atomic.Uint64
	done  atomic.Int32 // blocks of the current pass finished
	open  atomic.Bool  // a recursion is under way
	// helped counts the blocks the helper computed (read by tests).
	helped atomic.Int64

	n, blocks int
	p         pass         // written before claim opens the pass
	lanes     [][4]float64 // per block: the four partial sums
}

// newTeam returns the team of a state of dimension n.
func newTeam(n int) *team {
	t := &team{n: n, blocks: 1}
	if n >= splitMin {
		t.blocks = (n + blockLen - 1) / blockLen
	}
	t.lanes = make([][4]float64, t.blocks)
	// Pass 0 with every block taken: nothing to claim before run opens
	// pass 1.
	t.claim.Store(uint64(t.blocks))
	return t
}

// helperJobs hands a team to the package's helper goroutine.
var (
	helperJobs  chan *team
	helperStart sync.Once
	// noHelper keeps the helper out (tests compare the results with and
	// without it).
	noHelper bool
)

// helperLoop is the helper goroutine: it helps each team it is handed
// until that team's recursion ends or no pass comes for a while.
func helperLoop() {
	for t := range helperJobs {
		t.help()
	}
}

// begin starts a recursion, offering the helper a share when the passes
// are split, the helper is idle and there is a second processor for it.
func (t *team) begin() {
	if t.blocks == 1 || noHelper || runtime.GOMAXPROCS(0) < 2 {
		return
	}
	t.open.Store(true)
	helperStart.Do(func() {
		helperJobs = make(chan *team)
		go helperLoop()
	})
	select {
	case helperJobs <- t:
	default: // busy with another state
	}
}

// end ends a recursion: the helper leaves at its next poll.
func (t *team) end() { t.open.Store(false) }

// help computes blocks of t's passes until t's recursion ends or no pass
// comes within helperPatience polls.
func (t *team) help() {
	for idle := 0; idle < helperPatience && t.open.Load(); {
		c := t.claim.Load()
		b := int(uint32(c))
		if b >= t.blocks {
			idle++
			if idle%256 == 0 {
				runtime.Gosched()
			}
			continue
		}
		if !t.claim.CompareAndSwap(c, c+1) {
			continue
		}
		idle = 0
		t.block(b)
		t.helped.Add(1)
		t.done.Add(1)
	}
}

// run runs p over all blocks and returns its dot product (0 for
// passAxpyNegate; for passPair, sᵀy + yᵀy: see pair).
func (t *team) run(p pass) float64 {
	if t.blocks == 1 {
		t.p = p
		t.block(0)
		t.p = pass{}
		s := t.lanes[0]
		return (s[0] + s[1]) + (s[2] + s[3])
	}
	t.p = p
	t.done.Store(0)
	t.claim.Store((t.claim.Load()>>32 + 1) << 32) // opens the pass
	for {
		c := t.claim.Load()
		b := int(uint32(c))
		if b >= t.blocks {
			break
		}
		if t.claim.CompareAndSwap(c, c+1) {
			t.block(b)
			t.done.Add(1)
		}
	}
	for spins := 1; t.done.Load() < int32(t.blocks); spins++ {
		if spins%256 == 0 {
			runtime.Gosched()
		}
	}
	t.p = pass{} // drop the references to the vectors
	return t.sum()
}

// pair forms the curvature pair s = xNew − xOld, y = gNew − gOld over the
// blocks and returns sᵀy and yᵀy, each summed over two partial sums per
// block (element i to sum i mod 2) and the blocks in order.
func (t *team) pair(s, y, xNew, xOld, gNew, gOld []float64) (sy, yy float64) {
	t.run(pass{kind: passPair, s: s, y: y, x: xNew, q: xOld, v: gNew, w: gOld})
	l := t.totals()
	return l[0] + l[1], l[2] + l[3]
}

// pairLanes sets s = xNew − xOld and y = gNew − gOld and adds sᵀy to the
// two partial sums l[0], l[1] and yᵀy to l[2], l[3] (element i to the sum
// i mod 2, an odd last element to the first).
func pairLanes(s, y, xNew, xOld, gNew, gOld []float64, l *[4]float64) {
	xOld, gNew, gOld = xOld[:len(xNew)], gNew[:len(xNew)], gOld[:len(xNew)]
	s, y = s[:len(xNew)], y[:len(xNew)]
	sy0, sy1, yy0, yy1 := l[0], l[1], l[2], l[3]
	i := 0
	for ; i+2 <= len(xNew); i += 2 {
		s0, s1 := xNew[i]-xOld[i], xNew[i+1]-xOld[i+1]
		y0, y1 := gNew[i]-gOld[i], gNew[i+1]-gOld[i+1]
		s[i], s[i+1], y[i], y[i+1] = s0, s1, y0, y1
		sy0 += s0 * y0
		sy1 += s1 * y1
		yy0 += y0 * y0
		yy1 += y1 * y1
	}
	for ; i < len(xNew); i++ {
		si, yi := xNew[i]-xOld[i], gNew[i]-gOld[i]
		s[i], y[i] = si, yi
		sy0 += si * yi
		yy0 += yi * yi
	}
	*l = [4]float64{sy0, sy1, yy0, yy1}
}

// sum returns the dot product of the pass from the blocks' partial sums:
// lane by lane in block order, then (s₀ + s₁) + (s₂ + s₃).
func (t *team) sum() float64 {
	s := t.totals()
	return (s[0] + s[1]) + (s[2] + s[3])
}

// totals returns the blocks' partial sums added lane by lane in block
// order.
func (t *team) totals() [4]float64 {
	var s [4]float64
	for _, l := range t.lanes {
		s[0] += l[0]
		s[1] += l[1]
		s[2] += l[2]
		s[3] += l[3]
	}
	return s
}

// block runs the current pass over block b.
func (t *team) block(b int) {
	lo, hi := b*blockLen, min((b+1)*blockLen, t.n)
	if t.blocks == 1 {
		lo, hi = 0, len(t.p.q)
	}
	p, s := &t.p, &t.lanes[b]
	*s = [4]float64{}
	switch p.kind {
	case passCopyDot:
		copyDotLanes(p.q[lo:hi], p.x[lo:hi], p.v[lo:hi], s)
	case passAxpyDot:
		axpyDotLanes(p.q[lo:hi], p.a, p.x[lo:hi], p.v[lo:hi], s)
	case passAxpyScaleDot:
		axpyScaleDotLanes(p.q[lo:hi], p.a, p.x[lo:hi], p.c, p.v[lo:hi], s)
	case passAxpyNegate:
		axpyNegate(p.q[lo:hi], p.a, p.x[lo:hi])
	case passPair:
		pairLanes(p.s[lo:hi], p.y[lo:hi], p.x[lo:hi], p.q[lo:hi], p.v[lo:hi], p.w[lo:hi], s)
	}
}
