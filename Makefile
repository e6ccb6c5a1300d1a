# Thin wrapper over build.sh so `make` and `make test` work as the README says.
.PHONY: all test clean deps bench fuzz-long soak

all:
	./build.sh

test:
	./build.sh test

deps:
	scripts/install-deps.sh

bench: all
	bench/run.sh $(if $(QUICK),--quick,)

# The fuzz tests with >= 1,000,000 cases each (minutes, not seconds); `make test` runs a short mode.
fuzz-long:
	TEST_JAVA_OPTS=-Dsimplebt.fuzz.long=true ./build.sh test --select-class simplebt.bencode.BencodeFuzzTest \
	  --select-class simplebt.metainfo.MetainfoFuzzTest --select-class simplebt.wire.MessageCodecFuzzTest \
	  --select-class simplebt.tracker.AnnounceQueryFuzzTest --select-class simplebt.udptracker.UdpPacketFuzzTest \
	  --select-class simplebt.tracker.UdpAnnounceHandlerFuzzTest --select-class simplebt.dht.KrpcFuzzTest

# The soak (long mode only, not in `make test`): tracker.jar and 8 node.jar processes passing
# files around on loopback for MINUTES (default 30); threads, descriptors, heap and RSS must stay
# flat. Prints a table and writes build/soak-report.txt.
soak:
	TEST_JAVA_OPTS=-Dsimplebt.soak.minutes=$(or $(MINUTES),30) ./build.sh test --select-class simplebt.hardening.SoakIT

clean:
	rm -rf build node.jar tracker.jar
