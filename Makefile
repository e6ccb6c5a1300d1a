# Thin wrapper over build.sh so `make` and `make test` work as the README says.
.PHONY: all test clean deps bench

all:
	./build.sh

test:
	./build.sh test

deps:
	scripts/install-deps.sh

bench: all
	bench/run.sh $(if $(QUICK),--quick,)

clean:
	rm -rf build node.jar tracker.jar
