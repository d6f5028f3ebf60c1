/** Implementation details shared by configstore's packages; not exported, not API. */
@NullMarked
package dev.configstore.internal;

import org.jspecify.annotations.NullMarked;
