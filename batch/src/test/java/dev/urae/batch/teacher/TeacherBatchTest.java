package dev.urae.batch.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TeacherBatchTest {

  /** Refuses items whose prompt says so, fails those that say so, and tracks its concurrency. */
  private static final class ScriptedTeacher implements Teacher {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();

    @Override public String name() { return "scripted"; }
    @Override public String fingerprint() { return "scripted"; }

    @Override
    public TeacherResult generate(TeacherRequest request) throws IOException, InterruptedException {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(100);
        if (request.prompt().equals("refuse")) return new Refusal(request.itemId(), "policy", "no");
        if (request.prompt().equals("fail")) throw new TeacherException(request.itemId(), "boom");
        return new TeacherImage(request.itemId(), new byte[] {1}, 16, 16, request.prompt(), null, "scripted");
      } finally {
        running.decrementAndGet();
      }
    }
  }

  @Test
  void everyItemEndsInOrderAndOneBadItemDoesNotStopTheOthers() throws Exception {
    // given
    ScriptedTeacher teacher = new ScriptedTeacher();
    List<TeacherRequest> requests = new ArrayList<>();
    for (String prompt : List.of("ok", "refuse", "fail", "ok", "ok", "ok")) {
      requests.add(new TeacherRequest("item-" + requests.size(), prompt, 1, 16, 16));
    }
    List<String> seen = new ArrayList<>();
    // when
    List<TeacherOutcome> outcomes = TeacherBatch.run(teacher, requests, 3,
        (outcome, completed, total) -> seen.add(completed + "/" + total + " " + outcome.kind()));
    // then
    assertThat(outcomes).extracting(TeacherOutcome::kind).containsExactly(
        TeacherOutcome.Kind.IMAGE, TeacherOutcome.Kind.REFUSED, TeacherOutcome.Kind.FAILED,
        TeacherOutcome.Kind.IMAGE, TeacherOutcome.Kind.IMAGE, TeacherOutcome.Kind.IMAGE);
    assertThat(outcomes.get(2).failure()).hasMessageContaining("item-2").hasMessageContaining("boom");
    assertThat(seen).hasSize(6).last().asString().startsWith("6/6");
    assertThat(teacher.peak.get()).isBetween(2, 3);
  }

  @Test
  void anEmptyShardIsNoWork() throws Exception {
    assertThat(TeacherBatch.run(new ScriptedTeacher(), List.of(), 4, TeacherProgress.NONE)).isEmpty();
  }
}
