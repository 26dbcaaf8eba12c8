/**
 * Transport for the heare stats client on Spring's {@code WebClient}.
 */
@NullMarked
package io.heare.stats.webclient;

import org.jspecify.annotations.NullMarked;
