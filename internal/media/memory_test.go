package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"image/color"
)

// The memory budget (issue 12.7): a 117 KB PNG of 20000×1999 took RSS from
// 36 to 365 MB. These tests hold the pipeline to its accounting with the
// extreme shapes: very wide, very tall, 16-bit, interlaced, gray with
// transparency, RGB JPEG, progressive JPEG.

type shape struct {
	name string
	data []byte
}

var (
	shapesOnce sync.Once
	shapesAll  []shape
)

// extremeShapes are generated once per test binary (the big PNGs take a
// moment to compress).
func extremeShapes(t *testing.T) []shape {
	t.Helper()
	shapesOnce.Do(func() {
		oriented := insertAfterSOI(encJPEG(t, textured(1600, 1600, 7), 95), exifAPP1(6, false, binary.BigEndian))
		shapesAll = []shape{
			{"png rgba 20000x1999 (the audit's file)", pngFlat(t, 20000, 1999, 6, 8, false, false)},
			{"png rgba 1999x20000", pngFlat(t, 1999, 20000, 6, 8, false, false)},
			{"png rgb 20000x1999", pngFlat(t, 20000, 1999, 2, 8, false, false)},
			{"png paletted 20000x1999", pngFlat(t, 20000, 1999, 3, 8, false, true)},
			{"png gray 20000x1999", pngFlat(t, 20000, 1999, 0, 8, false, false)},
			{"png gray+tRNS 8000x2000", pngFlat(t, 8000, 2000, 0, 8, false, true)},
			{"png 16-bit rgba 6000x4000", pngFlat(t, 6000, 4000, 6, 16, false, false)},
			{"png 16-bit gray+tRNS 6000x2000", pngFlat(t, 6000, 2000, 0, 16, false, true)},
			{"png interlaced rgba 8000x2000", pngFlat(t, 8000, 2000, 6, 8, true, false)},
			{"png rgba 1000000x10", pngFlat(t, 1_000_000, 10, 6, 8, false, false)},
			{"jpeg baseline 4:2:0 20000x1999", jpegFlat(20000, 1999, true, false, false)},
			{"jpeg baseline 4:4:4 1999x20000", jpegFlat(1999, 20000, false, false, false)},
			{"jpeg progressive 4:2:0 20000x1000", jpegFlat(20000, 1000, true, true, false)},
			{"jpeg progressive 4:4:4 1000x8000", jpegFlat(1000, 8000, false, true, false)},
			{"jpeg rgb 8000x2000", jpegFlat(8000, 2000, false, false, true)},
			{"gif 20000x1999", gifFlat(t, 20000, 1999)},
			{"webp lossless 16384x1200", webpSolid(16384, 1200, color.NRGBA{10, 20, 30, 255}, nil)},
			{"jpeg photo 1600x1600 rotated", oriented},
		}
	})
	return shapesAll
}

// TestProcessCostBoundsAllocation: for every shape, the bytes Process
// allocates in total (runtime.MemStats.TotalAlloc, exact, whatever the GC
// does) stay within the cost it reserved from the budget. So the decodes
// running at once can never have allocated more than the budget between
// them.
func TestProcessCostBoundsAllocation(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes hundreds of MB")
	}
	p := NewPipeline(Config{MaxDecodeMemory: 4 << 30, Concurrency: 1, DecodeTimeout: 10 * time.Minute}, nil)
	for _, s := range extremeShapes(t) {
		format, _ := sniff(s.data)
		cfg, err := decodeConfig(format, s.data)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		cost := processCost(format, cfg, s.data)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err = p.Process(context.Background(), bytes.NewReader(s.data))
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		alloc := int64(after.TotalAlloc - before.TotalAlloc)
		t.Logf("%-36s allocated %6.1f MB, reserved %6.1f MB", s.name, float64(alloc)/(1<<20), float64(cost)/(1<<20))
		if alloc > cost {
			t.Errorf("%s: allocated %d bytes, more than the %d reserved", s.name, alloc, cost)
		}
	}
}

// TestExtremeShapesOverBudgetRefused: with the default budget, shapes whose
// decoders need more than all of it are refused before decoding, with the
// pipeline's ordinary "too large" refusal (the web layer's 422 with a
// message), and the audit's 20000×1999 PNG is accepted.
func TestExtremeShapesOverBudgetRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes hundreds of MB")
	}
	p := NewPipeline(Config{DecodeTimeout: 10 * time.Minute}, nil) // default budget
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"png 16-bit rgba 20000x1999 (320 MB)", pngFlat(t, 20000, 1999, 6, 16, false, false)},
		{"png 16-bit gray+tRNS 20000x1999 (320 MB as NRGBA64)", pngFlat(t, 20000, 1999, 0, 16, false, true)},
		{"png interlaced rgba 20000x1999 (2 × 160 MB)", pngFlat(t, 20000, 1999, 6, 8, true, false)},
		{"png rgba 4000000x10 (row buffers)", pngFlat(t, 4_000_000, 10, 6, 8, false, false)},
		{"jpeg rgb 20000x1999 (planes + RGBA)", jpegFlat(20000, 1999, false, false, true)},
		{"jpeg progressive 4:2:0 8000x5000", jpegFlat(8000, 5000, true, true, false)},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := p.Process(context.Background(), bytes.NewReader(c.data))
		runtime.ReadMemStats(&after)
		wantReason(t, c.name, err, ReasonPixels)
		var me *Error
		if errors.As(err, &me) && me.Message() == "" {
			t.Errorf("%s: refusal without a message", c.name)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > 4*uint64(len(c.data))+(1<<20) {
			t.Errorf("%s: refused after allocating %d bytes: the refusal must come before decoding", c.name, a)
		}
	}
	if _, err := p.Process(context.Background(), bytes.NewReader(extremeShapes(t)[0].data)); err != nil {
		t.Errorf("the audit's 20000x1999 PNG: %v", err)
	}
}

// peakOverhead is what the concurrent test allows above the budget: the
// test's own heap is subtracted as a baseline, so this covers the runtime
// and the sampler, the queued uploads' bytes, and the garbage of decodes
// under a quarter of the budget that the GC has not collected yet.
const peakOverhead = 48 << 20

// TestPeakHeapWithinBudget releases every extreme shape at once, with as
// many CPU slots as uploads, so only the memory budget orders them, and
// samples the heap (live and not yet collected objects) throughout. Before,
// each decode was charged at most 24 MB for the variants and 4 bytes per
// pixel for any PNG, and the garbage of finished decodes stayed until the
// GC's heap goal (about twice the live heap) was reached.
func TestPeakHeapWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes hundreds of MB")
	}
	shapes := extremeShapes(t)
	const budget = DefaultDecodeMemory
	p := NewPipeline(Config{MaxDecodeMemory: budget, Concurrency: len(shapes), QueueTimeout: 10 * time.Minute, DecodeTimeout: 10 * time.Minute}, nil)
	runtime.GC()
	base := heapObjects()
	s := startHeapSampler()
	errs := make([]error, len(shapes))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, sh := range shapes {
		wg.Go(func() {
			<-start
			_, errs[i] = p.Process(context.Background(), bytes.NewReader(sh.data))
		})
	}
	close(start)
	wg.Wait()
	peak, _ := s.finish()
	for i, err := range errs {
		if err != nil {
			t.Errorf("%s: %v", shapes[i].name, err)
		}
	}
	over := peak - float64(base)/(1<<20)
	t.Logf("peak heap %.0f MB, %.0f MB over the baseline of %.0f MB; budget %d MB + overhead %d MB",
		peak, over, float64(base)/(1<<20), budget>>20, peakOverhead>>20)
	if over > float64(budget+peakOverhead)/(1<<20) {
		t.Errorf("peak heap %.0f MB above the baseline: more than the budget (%d MB) + overhead (%d MB)", over, budget>>20, peakOverhead>>20)
	}
}

// heapObjects is the heap in use now, as the sampler measures it.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}
