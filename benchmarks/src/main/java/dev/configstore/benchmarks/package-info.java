/** JMH benchmarks of configstore against the baselines it must stay close to. */
@NullMarked
package dev.configstore.benchmarks;

import org.jspecify.annotations.NullMarked;
