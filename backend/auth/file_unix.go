//go:build unix

package auth

import (
	"errors"
	"os"
	"syscall"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// lockWait bounds how long a writer waits for another one; writers hold the
// lock for milliseconds, so a longer wait means a stuck process.
const lockWait = 30 * time.Second

// lockFile takes an exclusive flock on path+".lock" and returns its release.
// The lock lives on a file of its own because the auth file is replaced by
// rename: a lock on it would stay on the old inode. flock serializes
// processes (a `gridcc tokens` command beside a serving replica) and also
// goroutines, since each call opens its own file description.
func lockFile(path string) (unlock func(), err error) {
	lf, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "open lock file %s.lock", path)
	}
	fd := int(lf.Fd())
	deadline := time.Now().Add(lockWait)
	for {
		err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(fd, syscall.LOCK_UN) // closing releases it anyway
				lf.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			lf.Close()
			return nil, apperr.Wrap(err, apperr.Internal, "lock %s.lock", path)
		}
		if time.Now().After(deadline) {
			lf.Close()
			return nil, apperr.New(apperr.Unavailable, "%s.lock has been held for %s by another gridcc tokens command; try again", path, lockWait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// fileStamp identifies one version of the auth file. The inode is part of it
// because every write renames a new file into place: two writes within the
// file system's timestamp granularity that happen to leave the same size
// still differ in inode.
type fileStamp struct {
	dev, ino uint64
	size     int64
	mtime    int64 // UnixNano
}

func stampOf(fi os.FileInfo) fileStamp {
	s := fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.dev, s.ino = uint64(st.Dev), uint64(st.Ino) // the field types differ across Unixes
	}
	return s
}
