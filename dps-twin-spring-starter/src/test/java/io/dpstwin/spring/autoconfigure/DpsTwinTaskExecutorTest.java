package io.dpstwin.spring.autoconfigure;

import io.dpstwin.core.lifecycle.EventGridLifecycleParser;
import io.dpstwin.core.lifecycle.LifecycleOutcome;
import io.dpstwin.core.lifecycle.LifecycleProcessor;
import io.dpstwin.core.twins.DigitalTwin;
import io.dpstwin.core.twins.DigitalTwinsGateway;
import io.dpstwin.testkit.adt.InMemoryDigitalTwins;
import io.dpstwin.testkit.iothub.IotHubEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.AdditionalAnswers;
import org.mockito.Mockito;
import org.mockito.stubbing.Answer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the starter runs the retire flow's events: the application's executor, Boot's virtual threads, or its own pools. */
@ExtendWith(OutputCaptureExtension.class)
class DpsTwinTaskExecutorTest {

    private static final String THERMOSTAT = "dtmi:contosocom:DigitalTwins:Thermostat;1";

    private final InMemoryDigitalTwins adt = InMemoryDigitalTwins.create();
    /** The threads that called ADT. */
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final Answer<Object> toAdt = AdditionalAnswers.delegatesTo(adt);
    private final DigitalTwinsGateway recordingGateway = Mockito.mock(DigitalTwinsGateway.class, invocation -> {
        threads.add(Thread.currentThread().getName());
        return toAdt.answer(invocation);
    });
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    DpsTwinAutoConfiguration.class))
            .withBean(DigitalTwinsGateway.class, () -> recordingGateway);

    /** An application's executor: counts its tasks and remembers the threads that ran them. */
    static final class RecordingExecutor implements Executor {
        final ExecutorService pool = Executors.newCachedThreadPool(task -> new Thread(task, "app-executor"));
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            pool.execute(task);
        }
    }

    /** Retires the twin of one deleted device and answers the names of the threads that deleted it. */
    private Set<String> retireOneDevice(LifecycleProcessor processor) {
        try (var model = getClass().getClassLoader().getResourceAsStream("models/Thermostat.json")) {
            adt.uploadModels(new String(Objects.requireNonNull(model).readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        adt.createTwinIfAbsent(DigitalTwin.of("dev-1", THERMOSTAT));
        threads.clear();
        String delivery = IotHubEvents.deviceDeleted("hub-a", "dev-1").toEventGridJson();
        assertThat(processor.process(new EventGridLifecycleParser().parse(delivery)).outcomes()).singleElement()
                .satisfies(o -> assertThat(o.outcome()).isEqualTo(LifecycleOutcome.RETIRED));
        return threads;
    }

    @Test
    void anExecutorBeanNamedDpsTwinTaskExecutorRunsTheRetireFlowAndIsNotShutDownWithTheContext() {
        RecordingExecutor executor = new RecordingExecutor();
        try {
            runner.withBean(DpsTwinAutoConfiguration.TASK_EXECUTOR, Executor.class, () -> executor)
                    .run(context -> {
                        Set<String> used = retireOneDevice(context.getBean(LifecycleProcessor.class));

                        assertThat(executor.tasks.get()).isEqualTo(1);
                        assertThat(used).containsOnly("app-executor");
                    });
            assertThat(executor.pool.isShutdown()).isFalse();
        } finally {
            executor.pool.shutdownNow();
        }
    }

    @Test
    void withoutVirtualThreadsTheRetireFlowKeepsItsOwnPoolAndNotBootsApplicationTaskExecutor() {
        runner.run(context -> {
            assertThat(context).hasBean(DpsTwinAutoConfiguration.BOOT_TASK_EXECUTOR);
            assertThat(retireOneDevice(context.getBean(LifecycleProcessor.class)))
                    .allSatisfy(name -> assertThat(name).startsWith("dpstwin-lifecycle-"));
        });
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void withVirtualThreadsAskedForOnJava17TheRetireFlowKeepsItsOwnPoolAndSaysWhy(CapturedOutput output) {
        runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            assertThat(retireOneDevice(context.getBean(LifecycleProcessor.class)))
                    .allSatisfy(name -> assertThat(name).startsWith("dpstwin-lifecycle-"));
            assertThat(output).contains("spring.threads.virtual.enabled=true, but Java "
                    + Runtime.version().feature() + " has no virtual threads")
                    .contains("its own platform thread pools");
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void withVirtualThreadsOnJava21TheRetireFlowRunsOnBootsApplicationTaskExecutor() {
        runner.withPropertyValues("spring.threads.virtual.enabled=true",
                        "spring.task.execution.thread-name-prefix=boot-task-")
                .run(context -> {
                    List<String> used = List.copyOf(retireOneDevice(context.getBean(LifecycleProcessor.class)));
                    assertThat(used).isNotEmpty()
                            .allSatisfy(name -> assertThat(name).startsWith("boot-task-"));
                });
    }
}
