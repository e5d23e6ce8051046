package org.jsparse.nn.optim;

/**
 * Sets an optimizer's learning rate from a schedule at each epoch: call {@link #step()} at the
 * end of every epoch. The epoch counter is saved with checkpoints.
 */
public final class LrScheduler {
  private final Optimizer optimizer;
  private final LrSchedule schedule;
  private final double baseRate;
  private int epoch;

  /** Takes the optimizer's current rate as the base rate and applies epoch 0. */
  public LrScheduler(Optimizer optimizer, LrSchedule schedule) {
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.baseRate = optimizer.learningRate();
    optimizer.setLearningRate(schedule.learningRate(baseRate, 0));
  }

  /** Advances one epoch and sets the new rate. */
  public void step() {
    epoch++;
    optimizer.setLearningRate(schedule.learningRate(baseRate, epoch));
  }

  public int epoch() {
    return epoch;
  }

  public double baseRate() {
    return baseRate;
  }

  /** Restores the epoch (from a checkpoint) and sets its rate. */
  public void setEpoch(int epoch) {
    this.epoch = epoch;
    optimizer.setLearningRate(schedule.learningRate(baseRate, epoch));
  }
}
