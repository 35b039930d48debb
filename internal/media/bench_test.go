package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time. On a shared machine the
// wall time of a benchmark depends on the neighbours; CPU time does not, so
// both are reported.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var (
	photoOnce sync.Once
	photo12MP []byte
)

// photoLike12MP is a 4000×3000 JPEG (quality 92, like a phone camera) with
// photo-like content: smooth shading, edges and fine grain. Pure noise would
// overstate JPEG sizes and pure gradients would understate decode cost.
func photoLike12MP(b *testing.B) []byte {
	photoOnce.Do(func() {
		const w, h = 4000, 3000
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		rng := rand.New(rand.NewPCG(42, 7))
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < w; x++ {
				fx, fy := float64(x)/w, float64(y)/h
				base := 110 + 60*math.Sin(fx*9+fy*4) + 40*math.Cos(fy*13-fx*3)
				if (x/250+y/250)%2 == 0 { // hard edges, like objects
					base += 25
				}
				g := float64(rng.IntN(17) - 8) // sensor grain
				row[4*x+0] = clamp8(base + g + 30*fx)
				row[4*x+1] = clamp8(base*0.9 + g)
				row[4*x+2] = clamp8(base*0.8 + g + 30*fy)
				row[4*x+3] = 255
			}
		}
		photo12MP = encJPEG(b, m, 92)
	})
	return photo12MP
}

func clamp8(v float64) uint8 { return uint8(max(0, min(255, v))) }

// heapSampler records the peak of the heap in use (HeapInuse: live and
// not-yet-swept objects plus fragmentation in in-use spans) while it runs.
// It reads runtime/metrics, which unlike ReadMemStats does not stop the
// world, every 2 ms: enough to catch the plateau of a decode.
type heapSampler struct {
	peak atomic.Uint64
	live atomic.Uint64 // peak of the live heap as of the last GC mark
	stop chan struct{}
	done chan struct{}
}

func startHeapSampler() *heapSampler {
	s := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		samples := []metrics.Sample{
			{Name: "/memory/classes/heap/objects:bytes"},
			{Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/gc/heap/live:bytes"},
		}
		for {
			metrics.Read(samples)
			inuse := samples[0].Value.Uint64() + samples[1].Value.Uint64()
			if inuse > s.peak.Load() {
				s.peak.Store(inuse)
			}
			if l := samples[2].Value.Uint64(); l > s.live.Load() {
				s.live.Store(l)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// finish stops sampling and returns the peaks in MB.
func (s *heapSampler) finish() (inuse, live float64) {
	close(s.stop)
	<-s.done
	return float64(s.peak.Load()) / (1 << 20), float64(s.live.Load()) / (1 << 20)
}

func (s *heapSampler) report(b *testing.B) {
	inuse, live := s.finish()
	b.ReportMetric(inuse, "peak-heap-MB")
	b.ReportMetric(live, "peak-live-MB")
}

// BenchmarkProcess12MP: one 12 MP photo at a time through all variants.
//
//	go test -run '^$' -bench Process12MP -benchtime 20x ./internal/media
func BenchmarkProcess12MP(b *testing.B) {
	data := photoLike12MP(b)
	p := NewPipeline(Config{}, nil)
	ctx := context.Background()
	runtime.GC()
	s := startHeapSampler()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cpu0 := cpuTime(b)
	var out int
	for b.Loop() {
		res, err := p.Process(ctx, bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		out = 0
		for _, v := range res.Variants {
			out += len(v.Data)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(b.N), "cpu-ms/photo")
	s.report(b)
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/photo")
	b.ReportMetric(float64(out)/1024, "out-KB")
}

// BenchmarkProcess12MPConcurrent: a burst of uploads, more than the decode
// slots, with the default Concurrency (NumCPU). Peak heap is the figure
// that matters for sizing the machine.
func BenchmarkProcess12MPConcurrent(b *testing.B) {
	benchConcurrent(b, photoLike12MP(b))
}

func benchConcurrent(b *testing.B, data []byte) {
	p := NewPipeline(Config{}, nil)
	ctx := context.Background()
	runtime.GC()
	s := startHeapSampler()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime(b)
	var (
		wg   sync.WaitGroup
		next atomic.Int64
	)
	const uploaders = 8 // more clients than slots: the semaphores must hold
	for range uploaders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				if _, err := p.Process(ctx, bytes.NewReader(data)); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(b.N), "cpu-ms/photo")
	s.report(b)
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/photo")
}

// BenchmarkJPEGQuality reports the bytes of each variant at a few
// qualities, and the PSNR of the 1600 px variant against its unencoded
// pixels, for the choice documented in docs/media.md.
func BenchmarkJPEGQuality(b *testing.B) {
	data := photoLike12MP(b)
	src, err := decode(FormatJPEG, bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	lw, lh := fitLong(src.Bounds().Dx(), src.Bounds().Dy(), 1600)
	large := resample(src, src.Bounds(), lw, lh)
	for _, q := range []int{70, 75, 82, 85, 90} {
		b.Run(fmt.Sprintf("q%d", q), func(b *testing.B) {
			p := NewPipeline(Config{JPEGQuality: q}, nil)
			var res *Processed
			for b.Loop() {
				var err error
				if res, err = p.Process(context.Background(), bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
			for _, v := range res.Variants {
				b.ReportMetric(float64(len(v.Data))/1024, v.Name+"-KB")
			}
			enc, err := p.encode(context.Background(), large)
			if err != nil {
				b.Fatal(err)
			}
			got, err := decode(FormatJPEG, bytes.NewReader(enc))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(psnr(large, got), "PSNR-dB")
		})
	}
}

// psnr compares the RGB channels of two images of the same size.
func psnr(a *image.RGBA, b image.Image) float64 {
	var se float64
	n := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			for _, d := range [3]float64{float64(r1>>8) - float64(r2>>8), float64(g1>>8) - float64(g2>>8), float64(b1>>8) - float64(b2>>8)} {
				se += d * d
			}
			n += 3
		}
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}

// BenchmarkProcessFiles runs real files through the pipeline, for encodings
// Go cannot write (progressive JPEG, other subsamplings). It is skipped
// unless MEDIA_BENCH_FILES lists paths (colon-separated), e.g. made with
// libjpeg-turbo's jpegtran -progressive; see docs/media.md.
func BenchmarkProcessFiles(b *testing.B) {
	list := os.Getenv("MEDIA_BENCH_FILES")
	if list == "" {
		b.Skip("MEDIA_BENCH_FILES not set")
	}
	for _, path := range filepath.SplitList(list) {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(path)+"/concurrent", func(b *testing.B) { benchConcurrent(b, data) })
		b.Run(filepath.Base(path), func(b *testing.B) {
			p := NewPipeline(Config{}, nil)
			runtime.GC()
			s := startHeapSampler()
			cpu0 := cpuTime(b)
			for b.Loop() {
				if _, err := p.Process(context.Background(), bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(b.N), "cpu-ms/photo")
			s.report(b)
		})
	}
}
