package sim

import (
	"net"
	"os"
	"testing"
)

func TestProcStat(t *testing.T) {
	pid := os.Getpid()
	if _, err := procCPU(pid); err != nil {
		t.Error(err)
	}
	if rss, err := procRSS(pid); err != nil || rss <= 0 {
		t.Errorf("procRSS = %d, %v", rss, err)
	}
	if _, err := procCPU(-1); err == nil {
		t.Error("procCPU(-1) = nil error")
	}
}

func TestListenerPID(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	pid, err := listenerPID(l.Addr().(*net.TCPAddr).Port)
	if err != nil || pid != os.Getpid() {
		t.Errorf("listenerPID = %d, %v; want %d", pid, err, os.Getpid())
	}
}

func TestRunDelayAndMachine(t *testing.T) {
	if _, err := procRunDelay(os.Getpid()); err != nil {
		t.Error(err)
	}
	if busy, err := machineBusy(); err != nil || busy <= 0 {
		t.Errorf("machineBusy = %v, %v", busy, err)
	}
}
