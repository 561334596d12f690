package sim

import (
	"bytes"
	"errors"
	"fmt"
)

// msgType is a server message's type, as far as the load clients care.
type msgType uint8

// The message types the load clients act on; the rest (snapshot, stats,
// update) are skipped.
const (
	typeOther msgType = iota
	typeEvent
	typeLive
	typeReset
	typeError
)

// wireMsg is what a load client takes from one server message.
type wireMsg struct {
	typ msgType
	seq uint64
	id  []byte // data.id as it appears in the frame (a sub-slice: valid until the buffer is reused)
}

// errFrame reports a frame that is not the JSON array of objects the
// protocol promises.
var errFrame = errors.New("sim: malformed frame")

// scanFrame appends the messages of one server frame, a JSON array of
// {"type","seq","data"} objects, to out. It is a targeted decoder: it reads
// only type, seq and data.id and skips everything else without decoding it,
// because 5,000 clients unmarshalling full events would cost the load tool
// more CPU than the server under test. String values are returned raw
// (escapes left in); type names and ids never contain any.
func scanFrame(frame []byte, out []wireMsg) ([]wireMsg, error) {
	s := scanner{b: frame}
	if err := s.expect('['); err != nil {
		return out, err
	}
	if s.peek() == ']' {
		s.i++
	} else {
		for {
			m, err := s.message()
			if err != nil {
				return out, err
			}
			out = append(out, m)
			c, err := s.next()
			if err != nil {
				return out, err
			}
			if c == ']' {
				break
			}
			if c != ',' {
				return out, s.fail("',' or ']'")
			}
		}
	}
	if s.ws(); s.i != len(s.b) {
		return out, s.fail("end of frame")
	}
	return out, nil
}

// scanner walks a JSON text; i is the next byte to read.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) fail(want string) error {
	return fmt.Errorf("%w: want %s at byte %d", errFrame, want, s.i)
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte without consuming it; 0 at the end.
func (s *scanner) peek() byte {
	if s.ws(); s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// next consumes and returns the next non-space byte.
func (s *scanner) next() (byte, error) {
	c := s.peek()
	if c == 0 {
		return 0, s.fail("more input")
	}
	s.i++
	return c, nil
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		return s.fail(fmt.Sprintf("%q", c))
	}
	s.i++
	return nil
}

// str reads a string at the cursor and returns its raw content.
func (s *scanner) str() ([]byte, error) {
	if err := s.expect('"'); err != nil {
		return nil, err
	}
	start := s.i
	for {
		// IndexByte is vectorised: long descriptions are crossed in a few
		// instructions per 32 bytes.
		j := bytes.IndexByte(s.b[s.i:], '"')
		if j < 0 {
			return nil, s.fail("end of string")
		}
		s.i += j + 1
		// The quote is escaped when an odd number of backslashes precede it.
		bs := 0
		for k := s.i - 2; k >= start && s.b[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 0 {
			return s.b[start : s.i-1], nil
		}
	}
}

// skip skips one value of any kind.
func (s *scanner) skip() error {
	switch s.peek() {
	case '"':
		_, err := s.str()
		return err
	case '{', '[':
		return s.skipNested()
	case 0:
		return s.fail("a value")
	}
	// A number or literal runs to the next delimiter.
	start := s.i
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if s.i == start {
				return s.fail("a value")
			}
			return nil
		case '{', '[', '"', ':':
			return s.fail("a delimiter")
		}
		s.i++
	}
	return nil
}

// skipNested skips an object or array, strings inside included.
func (s *scanner) skipNested() error {
	depth := 0
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			if _, err := s.str(); err != nil {
				return err
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				s.i++
				return nil
			}
		}
		s.i++
	}
	return s.fail("end of object")
}

// object calls field for each key of the object at the cursor, with the
// cursor on the value; field must consume the value.
func (s *scanner) object(field func(key []byte) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		key, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := field(key); err != nil {
			return err
		}
		c, err := s.next()
		if err != nil {
			return err
		}
		if c == '}' {
			return nil
		}
		if c != ',' {
			return s.fail("',' or '}'")
		}
	}
}

// message reads one {"type","seq","data"} object.
func (s *scanner) message() (wireMsg, error) {
	var m wireMsg
	err := s.object(func(key []byte) error {
		switch string(key) { // no allocation: the compiler compares in place
		case "type":
			if s.peek() != '"' {
				return s.skip() // not a string: a type we do not know
			}
			v, err := s.str()
			m.typ = typeOf(v)
			return err
		case "seq":
			v, err := s.uint()
			m.seq = v
			return err
		case "data":
			if s.peek() != '{' {
				return s.skip()
			}
			return s.object(func(key []byte) error {
				if string(key) == "id" && s.peek() == '"' {
					v, err := s.str()
					m.id = v
					return err
				}
				return s.skip()
			})
		}
		return s.skip()
	})
	return m, err
}

func typeOf(v []byte) msgType {
	switch string(v) {
	case "event":
		return typeEvent
	case "live":
		return typeLive
	case "reset":
		return typeReset
	case "error":
		return typeError
	}
	return typeOther
}

// uint reads a number and returns it when it is a non-negative integer
// (the protocol's seq); any other number or value reads as 0.
func (s *scanner) uint() (uint64, error) {
	start := s.i
	if err := s.skip(); err != nil {
		return 0, err
	}
	var v uint64
	for _, c := range bytes.TrimLeft(s.b[start:s.i], " \t\n\r") {
		if c < '0' || c > '9' {
			return 0, nil
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			return 0, nil
		}
		v = v*10 + d
	}
	return v, nil
}
