/**
 * Spring test support for heare stats: an in-memory client in every test context, reset
 * before each test, and {@link io.heare.stats.test.autoconfigure.AutoConfigureHeareStats}
 * for test slices and for opting in to sending.
 */
@NullMarked
package io.heare.stats.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
