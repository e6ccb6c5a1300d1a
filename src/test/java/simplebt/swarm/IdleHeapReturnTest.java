package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

class IdleHeapReturnTest {
    private final HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    @Test
    void turnsOnG1sPeriodicCollectionOnceAndLeavesAnExplicitSettingAlone() {
        VMOption before = vm.getVMOption(IdleHeapReturn.OPTION);
        // A host started earlier in this test JVM, or a flag on its command line, set it already.
        assumeTrue(before.getOrigin() == VMOption.Origin.DEFAULT);
        try {
            assertThat(IdleHeapReturn.enable()).isTrue();
            assertThat(vm.getVMOption(IdleHeapReturn.OPTION).getValue()).isEqualTo("2000");
            vm.setVMOption(IdleHeapReturn.OPTION, "0"); // what a user's -XX:G1PeriodicGCInterval=0 says
            assertThat(IdleHeapReturn.enable()).isFalse();
            assertThat(vm.getVMOption(IdleHeapReturn.OPTION).getValue()).isEqualTo("0");
        } finally {
            vm.setVMOption(IdleHeapReturn.OPTION, before.getValue());
        }
    }
}
