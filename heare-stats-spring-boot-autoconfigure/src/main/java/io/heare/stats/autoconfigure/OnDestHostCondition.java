package io.heare.stats.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code heare.stats.dest-host} has a non-blank value. A blank value (an
 * empty environment variable, for example) counts as not set.
 *
 * @author heare-stats
 */
class OnDestHostCondition extends SpringBootCondition {

	private static final String PROPERTY = "heare.stats.dest-host";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("heare stats destination");
		// Bound as the properties are, so that an unresolved placeholder reaches the
		// client's validation, which names the property, instead of failing here.
		String host = Binder.get(context.getEnvironment()).bind(PROPERTY, String.class).orElse(null);
		if (StringUtils.hasText(host)) {
			return ConditionOutcome.match(message.found("property").items(PROPERTY));
		}
		return ConditionOutcome.noMatch(message.didNotFind("property").items(PROPERTY));
	}

}
