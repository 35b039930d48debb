package form

import (
	"context"
	"errors"

	"lostinnl/internal/media"
	"lostinnl/internal/web/kit"
)

// ProcessPhoto runs one upload through the media pipeline (the report form,
// the reporter's link and the admin upload all use it): a refused file
// gives its media.Error (me); err is only for failures on our side.
func ProcessPhoto(ctx context.Context, pl *media.Pipeline, fh *kit.UploadFile) (p *media.Processed, me *media.Error, err error) {
	f, err := fh.Open()
	if err != nil {
		return nil, nil, err
	}
	p, err = pl.Process(ctx, f)
	_ = f.Close() // a temp file or memory; nothing to flush
	if errors.As(err, &me) {
		return nil, me, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return p, nil, nil
}

// ShownSize is a processed photo's size as pages show it: its large
// variant's when it has one, else the original's.
func ShownSize(p *media.Processed) (width, height int) {
	if v, ok := p.Variant(media.VariantLarge); ok {
		return v.Width, v.Height
	}
	return p.Width, p.Height
}
