/**
 * A history checker across processes: worker JVMs doing random reads and writes on a few keys of
 * one shared database, a nemesis that kills workers and connections and writes with the
 * databases' shells, and a checker that reads the merged history of every operation and reports
 * each read or final state the store's guarantees do not allow. Not a published API.
 */
@NullMarked
package dev.configstore.reliability;

import org.jspecify.annotations.NullMarked;
