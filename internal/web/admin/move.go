package admin

// moveByOne swaps id with its neighbour in ids: towards the end for
// dir "down", towards the start otherwise (the up/down buttons of ordered
// admin lists, which work without JavaScript). at is id's index before the
// move (-1 when id is not in ids); moved is false when it already sits at
// that end. ids is changed in place.
func moveByOne(ids []int64, id int64, dir string) (at int, moved bool) {
	at = -1
	for i, v := range ids {
		if v == id {
			at = i
			break
		}
	}
	if at < 0 {
		return -1, false
	}
	to := at - 1
	if dir == "down" {
		to = at + 1
	}
	if to < 0 || to >= len(ids) {
		return at, false
	}
	ids[at], ids[to] = ids[to], ids[at]
	return at, true
}
